"""Writes sacrebleu-2.6.0-fixture.tsv, replayed by SacrebleuDifferentialTest.

Run with sacreBLEU 2.6.0 importable (e.g. `pip install sacrebleu==2.6.0`):
    python3 sacrebleu_fixture.py > sacrebleu-2.6.0-fixture.tsv
The committed fixture was written from sacreBLEU's v2.6.0 source tree (mjpost/sacrebleu tag v2.6.0), with the
modules it imports but BLEU does not use (portalocker, tabulate, lxml) stubbed out.
Every field that holds text is base64 of its UTF-8 bytes; '~' stands for a None reference.
Lines:
    tok  <input>  <Tokenizer13a()(input)>
    bleu <tok> <lowercase> <smooth_method> <smooth_value|None> <max_ngram_order> <effective_order>
         <n_segments> <n_streams> <hyp>... <ref stream 1>... <ref stream 2>... <repr(score)> <format()> <signature>
"""
import base64
import random

import sacrebleu
from sacrebleu.metrics import BLEU
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

assert sacrebleu.__version__ == '2.6.0', sacrebleu.__version__
random.seed(20261122)


def b64(s):
    return base64.b64encode(s.encode('utf-8')).decode()


ALPHABET = list("abcAB019 .,-'\"&;:!?()[]{}<>/\\|_^`~$#%*+=@\n\t") + [
    '&amp;', '&quot;', '&lt;', '&gt;', '<skipped>', '-\n', '\u00a0', '\u200b', 'é', 'ş', 'İ', 'Σ', '«', '»',
    '\u3000', '\u2028', '\U0001F600', '1.5', '3,000', 'the', 'cat', 'The']
WORDS = ['İ', 'ΑΣ', 'aΣb', 'Σ', 'ẞ', 'Straße', '\U0001F600x', 'x\u00a0y', 'the', 'cat', 'The', 'a', 'dog', 'sat',
         'on', 'mat', '.', ',', 'mat.', 'dog,', "isn't", 'A', '1', '2-3', '&amp;', '(x)', '3.5', 'end.']


def sentence():
    return ' '.join(random.choice(WORDS) for _ in range(random.randint(0, 12)))


tok = Tokenizer13a()
for _ in range(400):
    s = ''.join(random.choice(ALPHABET) for _ in range(random.randint(0, 40)))
    print('\t'.join(['tok', b64(s), b64(tok(s))]))

written = 0
while written < 250:
    tokenize = random.choice(['13a', 'none', 'char'])
    lowercase = random.random() < 0.5
    method = random.choice(['exp', 'floor', 'add-k', 'none'])
    value = None
    if method in ('floor', 'add-k') and random.random() < 0.5:
        value = random.choice([0.0, 0.01, 0.5, 1.0, 2.0, 3.0])
    order = random.randint(1, 6)
    effective = random.random() < 0.5
    n, n_streams = random.randint(1, 5), random.randint(1, 3)
    hyps = [sentence() for _ in range(n)]
    refs = []
    for r in range(n_streams):
        stream = []
        for _ in range(n):
            x = random.random()
            stream.append(None if (x < 0.1 and r > 0) else ('' if x < 0.15 else sentence()))
        refs.append(stream)
    metric = BLEU(lowercase=lowercase, tokenize=tokenize, smooth_method=method, smooth_value=value,
                  max_ngram_order=order, effective_order=effective)
    try:
        score = metric.corpus_score(hyps, refs)
    except TypeError:  # a segment whose references are all None: sacreBLEU fails, so do we (differently)
        continue
    fields = ['bleu', tokenize, str(lowercase), method, 'None' if value is None else repr(value), str(order),
              str(effective), str(n), str(n_streams)]
    fields += [b64(h) for h in hyps]
    fields += ['~' if x is None else b64(x) for stream in refs for x in stream]
    fields += [repr(score.score), b64(score.format()), b64(str(metric.get_signature()))]
    print('\t'.join(fields))
    written += 1
