/**
 * The English→Spanish Bible corpus (King James Version, Reina-Valera 1909), built from Debian's SWORD packages
 * without the SWORD library. {@link org.recurrent4j.data.bible.BibleCorpusPreparer} is the entry point (the
 * {@code prepare-bible} command calls it): it reads the packages with {@code DebPackage}
 * and {@link org.recurrent4j.data.bible.ZTextModule}, cleans the OSIS markup with
 * {@code OsisCleaner}, aligns verses by their slot in
 * {@link org.recurrent4j.data.bible.KjvVersification}, splits by chapter
 * ({@link org.recurrent4j.data.bible.BibleSplit}) and writes line-aligned gzip files, byte for byte reproducibly.
 */
package org.recurrent4j.data.bible;
