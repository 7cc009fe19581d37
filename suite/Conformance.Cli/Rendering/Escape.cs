using System.Globalization;
using System.Text;

namespace Conformance.Cli.Rendering;

/// <summary>
/// Escaping for every output format. Everything in a report that comes from data (case ids,
/// details, XML, peer build strings) goes through one of these; nothing is trusted.
/// </summary>
public static class Escape
{
    /// <summary>HTML text and attribute escaping (<c>&amp; &lt; &gt; " '</c>), control characters made visible.</summary>
    public static string Html(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in Visible(text))
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default: sb.Append(ch); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Markdown inline text (GitHub-flavoured): HTML-escaped, Markdown punctuation backslash-escaped,
    /// pipes escaped for tables, line breaks folded to spaces.
    /// </summary>
    public static string MarkdownText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in OneLine(text))
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~' or '#' or '!':
                    sb.Append('\\').Append(ch);
                    break;
                default: sb.Append(ch); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// An identifier (case id, cell id) in Markdown: a code span when it is plain (letters, digits,
    /// <c>. - _ @ :</c>), otherwise escaped text, so no renderer ever sees markup from data.
    /// </summary>
    public static string MarkdownId(string? id) =>
        !string.IsNullOrEmpty(id) && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_' or '@' or ':')
            ? "`" + id + "`"
            : MarkdownText(id);

    /// <summary>
    /// Text for XML 1.0 content: characters XML cannot carry (C0 controls but tab, LF, CR; lone
    /// surrogates; U+FFFE/U+FFFF) become visible <c>\xNN</c> / <c>\uXXXX</c> text.
    /// </summary>
    public static string XmlSafe(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            string? replacement = null;
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb?.Append(ch).Append(text[i + 1]);
                i++;
                continue;
            }

            if (char.IsSurrogate(ch) || ch is '\uFFFE' or '\uFFFF')
            {
                replacement = string.Create(CultureInfo.InvariantCulture, $"\\u{(int)ch:x4}");
            }
            else if (ch < 0x20 && ch is not '\t' and not '\n' and not '\r')
            {
                replacement = string.Create(CultureInfo.InvariantCulture, $"\\x{(int)ch:x2}");
            }

            if (replacement is not null)
            {
                sb ??= new StringBuilder(text, 0, i, text.Length + 16);
                sb.Append(replacement);
            }
            else
            {
                sb?.Append(ch);
            }
        }

        return sb?.ToString() ?? text;
    }

    /// <summary>Control characters (other than tab and line ends) shown as <c>\xNN</c>; XML-safe.</summary>
    public static string Visible(string text) => XmlSafe(text);

    /// <summary>Truncates to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Truncate(string? text, int max)
    {
        if (text is null)
        {
            return "";
        }

        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
    }

    private static string OneLine(string text)
    {
        var visible = Visible(text);
        return visible.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');
    }
}
