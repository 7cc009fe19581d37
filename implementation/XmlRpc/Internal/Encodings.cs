using System.Text;

namespace XmlRpc.Internal;

/// <summary>Encoding lookup by the names Python and XML declarations use.</summary>
internal static class Encodings
{
    /// <summary>Finds an encoding by name (Python aliases such as <c>latin-1</c>, <c>cp1252</c>, <c>utf8</c> included), or null.</summary>
    /// <remarks>
    /// The code pages are asked directly rather than registered globally: registering once on first use raced (a second
    /// thread saw the flag set before the provider was registered and got "unknown encoding").
    /// </remarks>
    public static Encoding? Find(string name, EncoderFallback encoderFallback, DecoderFallback decoderFallback)
    {
        var normalized = Normalize(name);
        foreach (var candidate in new[] { normalized, name })
        {
            var encoding = TryGet(candidate, encoderFallback, decoderFallback)
                ?? CodePagesEncodingProvider.Instance.GetEncoding(candidate, encoderFallback, decoderFallback);
            if (encoding is not null)
            {
                return encoding;
            }
        }

        return null;
    }

    public static bool IsUtf8(string name) => Normalize(name) == "utf-8";

    public static bool IsUtf16(string name) => Normalize(name) is "utf-16" or "utf-16le" or "utf-16be";

    /// <summary>A name of CPython's <c>utf_16</c> codec (<c>utf-16</c>, <c>UTF16</c>, <c>utf_16</c>), which writes a byte order mark; <c>utf-16le</c>/<c>utf-16be</c> do not.</summary>
    public static bool IsUtf16WithByteOrderMark(string name) => Normalize(name) == "utf-16";

    private static Encoding? TryGet(string name, EncoderFallback encoderFallback, DecoderFallback decoderFallback)
    {
        try
        {
            return Encoding.GetEncoding(name, encoderFallback, decoderFallback);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            // Unknown names, and names .NET knows but refuses (UTF-7).
            return null;
        }
    }

    private static string Normalize(string name)
    {
        var n = name.Trim().ToLowerInvariant().Replace('_', '-');
        return n switch
        {
            "utf8" or "u8" or "utf" or "utf-8-sig" => "utf-8",
            "latin-1" or "latin1" or "l1" or "iso8859-1" or "8859" or "cp819" => "iso-8859-1",
            "ascii" or "646" or "us" => "us-ascii",
            "utf16" => "utf-16",
            _ when n.StartsWith("cp125", StringComparison.Ordinal) && n.Length == 6 => "windows-" + n[2..],
            _ when n.StartsWith("iso8859-", StringComparison.Ordinal) => "iso-8859-" + n[8..],
            _ => n,
        };
    }
}
