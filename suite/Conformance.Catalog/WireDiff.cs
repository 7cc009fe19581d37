using System.Globalization;
using System.Text;
using DiffPlex.Renderer;

namespace Conformance.Catalog;

/// <summary>Unified diffs of wire bytes, with every byte a reader could miss made visible.</summary>
public static class WireDiff
{
    /// <summary>
    /// A unified diff (<c>diff -u</c>) of <paramref name="expected"/> → <paramref name="actual"/>, both shown as
    /// <see cref="Visible"/> text; an empty string when the bytes are equal.
    /// </summary>
    public static string Unified(byte[] expected, byte[] actual, string expectedName = "CPython (golden)", string actualName = "ours", int contextLines = 2)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.AsSpan().SequenceEqual(actual))
        {
            return string.Empty;
        }

        var diff = UnidiffRenderer.GenerateUnidiff(
            Visible(expected), Visible(actual), expectedName, actualName, ignoreWhitespace: false, ignoreCase: false, contextLines: contextLines);
        return string.IsNullOrEmpty(diff)
            ? $"--- {expectedName}\n+++ {actualName}\n(the texts differ only in bytes that decode alike)\n"
            : diff;
    }

    /// <summary>
    /// The bytes as UTF-8 text with <c>\r</c>, other control characters, U+FFFE/U+FFFF and undecodable bytes written as
    /// <c>\xNN</c> escapes, so a one-byte wire difference always shows up in a diff. Line breaks stay at <c>\n</c>.
    /// </summary>
    public static string Visible(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var sb = new StringBuilder(bytes.Length + 16);
        var text = new UTF8Encoding(false, false).GetString(bytes);
        foreach (var c in text)
        {
            if (c == '\n')
            {
                sb.Append('\n');
            }
            else if (c < 0x20 || c == '\uFFFD' || c is '\uFFFE' or '\uFFFF')
            {
                sb.Append("\\x").Append(((int)c).ToString(c > 0xFF ? "x4" : "x2", CultureInfo.InvariantCulture));
            }
            else if (c == '\\')
            {
                sb.Append("\\\\");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
