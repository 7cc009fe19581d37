using System.Globalization;
using System.Text;

namespace XmlRpc.Client.Internal;

/// <summary>Renders the start of a body for an error message.</summary>
internal static class BodyText
{
    private const int PreviewChars = 200;

    public static string Preview(ReadOnlySpan<byte> body, int maxChars = PreviewChars)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, maxChars * 4)]);
        var builder = new StringBuilder("\"");
        foreach (var c in text.Length > maxChars ? text[..maxChars] : text)
        {
            if (c is '\r' or '\n' or '\t' || !char.IsControl(c))
            {
                builder.Append(c switch { '\r' => "\\r", '\n' => "\\n", '\t' => "\\t", '"' => "\\\"", _ => c.ToString() });
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
        }

        builder.Append(text.Length > maxChars || body.Length > maxChars * 4 ? "\"..." : "\"");
        return builder.ToString();
    }
}
