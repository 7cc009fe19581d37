using System.Buffers;

namespace XmlRpc.Internal;

/// <summary>XML 1.0 §2.2 <c>Char</c>: which characters a document can carry (compiled into the core and the server).</summary>
internal static class XmlCharacters
{
    /// <summary>The UTF-16 code units XML 1.0 never allows: U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE, U+FFFF.</summary>
    public const string Forbidden =
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF";

    /// <summary>Is the code point an XML 1.0 <c>Char</c>?</summary>
    public static bool IsXmlChar(long c) =>
        c is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
}
