using System.Globalization;
using System.Text;

namespace XmlRpc.Client.Internal;

/// <summary>Renders the start of a body for an error message.</summary>
internal static class BodyText
{
    private const int PreviewChars = 200;

    public static string Preview(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, PreviewChars * 4)]);
        var builder = new StringBuilder("\"");
        foreach (var c in text.Length > PreviewChars ? text[..PreviewChars] : text)
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

        builder.Append(text.Length > PreviewChars || body.Length > PreviewChars * 4 ? "\"..." : "\"");
        return builder.ToString();
    }
}
