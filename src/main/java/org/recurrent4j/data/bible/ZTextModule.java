package org.recurrent4j.data.bible;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the verse texts of a SWORD zText Bible module (the format of {@code sword-text-*} Debian packages).
 *
 * <p>Per testament ({@code ot}, {@code nt}) three files: {@code .bzs} block index (3 little-endian uint32 per
 * block: offset in {@code .bzz}, compressed size, uncompressed size), {@code .bzz} zlib-compressed blocks,
 * {@code .bzv} verse index (10 bytes per slot: uint32 block number, uint32 offset in the uncompressed block,
 * uint16 length; length 0 = empty slot). Slots follow {@link KjvVersification}; a module whose index does not
 * have exactly the KJV's number of slots is rejected. Texts are UTF-8 OSIS markup, returned raw.
 */
final class ZTextModule {

    private final String name;
    private final KjvVersification versification;
    private final Map<String, byte[]> files;
    private final Map<String, byte[]> blockCache = new HashMap<>();

    /**
     * @param name          module name, for messages (e.g. {@code engKJV2006eb})
     * @param files         the module's files by name: {@code ot.bzs ot.bzz ot.bzv nt.bzs nt.bzz nt.bzv}
     * @param versification the versification the module declares
     * @throws IllegalArgumentException if a file is missing or a verse index has the wrong size
     */
    public ZTextModule(String name, Map<String, byte[]> files, KjvVersification versification) {
        this.name = name;
        this.files = Map.copyOf(files);
        this.versification = versification;
        for (KjvVersification.Testament t : KjvVersification.Testament.values()) {
            for (String ext : new String[]{".bzs", ".bzz", ".bzv"}) {
                file(t.filePrefix() + ext);
            }
            long slots = file(t.filePrefix() + ".bzv").length / 10;
            if (file(t.filePrefix() + ".bzv").length % 10 != 0 || slots != versification.slotCount(t)) {
                throw new IllegalArgumentException("ZTextModule " + name + ": " + t.filePrefix() + ".bzv has "
                        + file(t.filePrefix() + ".bzv").length + " bytes; expected 10 * "
                        + versification.slotCount(t) + " slots of the KJV versification");
            }
        }
    }

    /** @return the module name */
    public String name() {
        return name;
    }

    /** @return the raw OSIS text of verse {@code ref}, empty for an empty slot */
    public String rawText(VerseRef ref) {
        KjvVersification.Testament t = versification.testament(ref);
        return slotText(t, versification.slot(ref));
    }

    /** @return the raw text of slot {@code slot} of testament {@code t}'s verse index (headers included) */
    public String slotText(KjvVersification.Testament t, int slot) {
        ByteBuffer index = ByteBuffer.wrap(file(t.filePrefix() + ".bzv")).order(ByteOrder.LITTLE_ENDIAN);
        if (slot < 0 || slot >= index.capacity() / 10) {
            throw new IllegalArgumentException("ZTextModule " + name + ": slot must be in [0, "
                    + index.capacity() / 10 + "), got " + slot);
        }
        long block = Integer.toUnsignedLong(index.getInt(slot * 10));
        int offset = index.getInt(slot * 10 + 4);
        int length = Short.toUnsignedInt(index.getShort(slot * 10 + 8));
        if (length == 0) {
            return "";
        }
        byte[] data = block(t, block);
        if (offset < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("ZTextModule " + name + ": slot " + slot + " of " + t.filePrefix()
                    + " points at bytes [" + offset + ", " + (offset + length) + ") of block " + block
                    + ", which has " + data.length + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(data, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("ZTextModule " + name + ": slot " + slot + " of " + t.filePrefix()
                    + " is not valid UTF-8", e);
        }
    }

    private byte[] block(KjvVersification.Testament t, long block) {
        return blockCache.computeIfAbsent(t.filePrefix() + block, k -> inflateBlock(t, block));
    }

    private byte[] inflateBlock(KjvVersification.Testament t, long block) {
        ByteBuffer bzs = ByteBuffer.wrap(file(t.filePrefix() + ".bzs")).order(ByteOrder.LITTLE_ENDIAN);
        if (block >= bzs.capacity() / 12) {
            throw new IllegalArgumentException("ZTextModule " + name + ": block " + block + " of " + t.filePrefix()
                    + " does not exist; the block index has " + bzs.capacity() / 12);
        }
        int at = (int) block * 12;
        int offset = bzs.getInt(at);
        int compressed = bzs.getInt(at + 4);
        int uncompressed = bzs.getInt(at + 8);
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(file(t.filePrefix() + ".bzz"), offset, compressed);
            byte[] out = new byte[uncompressed];
            int n = inflater.inflate(out);
            if (n != uncompressed || !inflater.finished()) {
                throw new IllegalArgumentException("ZTextModule " + name + ": block " + block + " of "
                        + t.filePrefix() + " inflates to " + n + " bytes; the index says " + uncompressed);
            }
            return out;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("ZTextModule " + name + ": block " + block + " of "
                    + t.filePrefix() + " is not valid zlib data", e);
        } finally {
            inflater.end();
        }
    }

    private byte[] file(String fileName) {
        byte[] data = files.get(fileName);
        if (data == null) {
            throw new IllegalArgumentException("ZTextModule " + name + ": file " + fileName
                    + " is missing; have " + files.keySet());
        }
        return data;
    }
}
