#!/bin/sh
# Regenerates the SentencePiece reference fixtures of BpeReferenceTest (src/test/resources/org/recurrent4j/data/subword/)
# with Debian's sentencepiece (0.1.97: apt-get install -y sentencepiece). Byte-reproducible: BPE training has no
# randomness, gzip -n stores no time stamp. Run from the project root:
#   sh src/test/sh/generate-subword-fixtures.sh [../shared/datasets]
# Inputs: the Bible training split (datasets/bible-en-es/train.{en,es}.gz, committed) and the first 1,500 lines of
# newstest2014 (French of en-fr), stored here as an input fixture since the shared datasets are not in the repository.
# Outputs per case NAME: NAME.vocab.gz (spm_train's piece list, piece<TAB>score) and NAME.pieces.gz (spm_encode
# --output_format=piece of the encoded text, one line per input line).
set -eu
SHARED=${1:-../shared/datasets}
OUT=src/test/resources/org/recurrent4j/data/subword
SPM_FLAGS="--model_type=bpe --character_coverage=1.0 --normalization_rule_name=identity \
 --split_by_unicode_script=false --byte_fallback=false --max_sentencepiece_length=16 --minloglevel=2"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# case NAME TRAIN_TEXT ENCODE_TEXT VOCAB_SIZE
case_() {
    spm_train --input="$2" --model_prefix="$TMP/$1" --vocab_size="$4" $SPM_FLAGS >/dev/null 2>&1
    gzip -n -9 < "$TMP/$1.vocab" > "$OUT/$1.vocab.gz"
    spm_encode --model="$TMP/$1.model" --output_format=piece < "$3" | gzip -n -9 > "$OUT/$1.pieces.gz"
}

zcat "$SHARED/wmt-newstest/en-fr/newstest2014.fr.gz" | head -n 1500 | gzip -n -9 > "$OUT/newstest2014-fr-1500.txt.gz"
zcat "$OUT/newstest2014-fr-1500.txt.gz" > "$TMP/news.txt"
zcat datasets/bible-en-es/train.en.gz > "$TMP/bible-train.en"
zcat datasets/bible-en-es/train.es.gz > "$TMP/bible-train.es"
zcat datasets/bible-en-es/test.en.gz > "$TMP/bible-test.en"
zcat datasets/bible-en-es/test.es.gz > "$TMP/bible-test.es"

case_ bible-en-8000 "$TMP/bible-train.en" "$TMP/bible-test.en" 8000
case_ bible-es-8000 "$TMP/bible-train.es" "$TMP/bible-test.es" 8000
case_ news-fr-2000 "$TMP/news.txt" "$TMP/news.txt" 2000
case_ news-fr-200 "$TMP/news.txt" "$TMP/news.txt" 200
