/**
 * Strict text I/O for the data classes. {@link org.recurrent4j.data.io.TextFiles} opens files as strict UTF-8
 * (malformed bytes are an error, never replaced), reads {@code .gz} files transparently, and writes files atomically.
 * {@link org.recurrent4j.data.io.Utf8LineReader} reads line by line and keeps the line number, so that a read error,
 * a {@link org.recurrent4j.data.DataFileException}, names the file and the line.
 */
package org.recurrent4j.data.io;
