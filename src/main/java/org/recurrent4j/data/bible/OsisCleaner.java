package org.recurrent4j.data.bible;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the OSIS markup of one verse into plain text, in this order:
 * <ol>
 *   <li>drop {@code <note>…</note>} (footnotes, cross references) and {@code <title>…</title>} (headings,
 *       psalm superscriptions) with their content;</li>
 *   <li>a run of tags directly between two letters or digits becomes a space (some modules write
 *       {@code <w>para siempre</w><w>es su</w>} with no space between the words);</li>
 *   <li>other tags: block-level ones ({@code div l lg lb p chapter verse milestone br}) become a space, inline
 *       ones ({@code w transChange divineName q seg foreign hi …}) are removed, keeping their text;</li>
 *   <li>entities {@code &amp; &lt; &gt; &quot; &apos;} and numeric ones are unescaped (others stay as
 *       they are);</li>
 *   <li>leftover USFM character markers such as {@code \nd} (27 verses of the KJV module) and the
 *       paragraph sign {@code ¶} (a KJV typesetting mark, not a word) are removed;</li>
 *   <li>white space is folded to single spaces and trimmed.</li>
 * </ol>
 */
final class OsisCleaner {

    private static final Pattern NOTE = Pattern.compile("<note\\b[^>]*>.*?</note>", Pattern.DOTALL);
    private static final Pattern TITLE = Pattern.compile("<title\\b[^>]*>.*?</title>", Pattern.DOTALL);
    private static final Pattern TAGS_BETWEEN_WORD_CHARS = Pattern.compile("(?<=\\w)(?:<[^>]*>)+(?=\\w)",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern TAG = Pattern.compile("</?([A-Za-z][A-Za-z0-9]*)[^>]*>");
    private static final Set<String> BLOCK_TAGS = Set.of("div", "l", "lg", "lb", "p", "chapter", "verse",
            "milestone", "br");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]+|#x[0-9A-Fa-f]+|amp|lt|gt|quot|apos);");
    private static final Pattern USFM_MARKER = Pattern.compile("\\\\[a-z]+[0-9]*\\*?");
    private static final Pattern SPACES = Pattern.compile("[\\s\\u00A0\\u2000-\\u200B\\u202F\\u3000]+");

    private OsisCleaner() {
    }

    /** @return the plain text of {@code osis} (see class doc); empty if nothing but markup */
    public static String clean(String osis) {
        String s = NOTE.matcher(osis).replaceAll("");
        s = TITLE.matcher(s).replaceAll("");
        s = TAGS_BETWEEN_WORD_CHARS.matcher(s).replaceAll(" ");
        s = TAG.matcher(s).replaceAll(m -> BLOCK_TAGS.contains(m.group(1)) ? " " : "");
        s = unescape(s);
        s = USFM_MARKER.matcher(s).replaceAll("");
        s = s.replace('\u00B6', ' ');
        return SPACES.matcher(s).replaceAll(" ").trim();
    }

    private static String unescape(String s) {
        Matcher m = ENTITY.matcher(s);
        return m.replaceAll(r -> Matcher.quoteReplacement(switch (r.group(1)) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> {
                String n = r.group(1);
                int cp = n.startsWith("#x") ? Integer.parseInt(n.substring(2), 16) : Integer.parseInt(n.substring(1));
                yield new String(Character.toChars(cp));
            }
        }));
    }
}
