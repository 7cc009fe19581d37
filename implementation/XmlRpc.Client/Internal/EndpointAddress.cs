using System.Text;

namespace XmlRpc.Client.Internal;

/// <summary>An XML-RPC endpoint URL split the way CPython's <c>ServerProxy</c> splits it.</summary>
/// <remarks>
/// CPython 3.9.3+ (<c>urllib.parse.urlsplit</c>): the user info is everything in the authority before
/// its <em>last</em> <c>@</c>, percent-decoded to bytes (<c>unquote_to_bytes</c>), and an empty path
/// becomes <c>/RPC2</c>. .NET's <see cref="Uri"/> rejects an unescaped <c>@</c> inside the user info, so
/// the authority is split here before <see cref="Uri"/> sees it.
/// </remarks>
internal sealed record EndpointAddress(Uri RequestUri, byte[]? UserInfo)
{
    public static EndpointAddress Parse(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            throw new ArgumentException($"'{url}' is not an absolute http or https URL.", nameof(url));
        }

        var scheme = url[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            // CPython: OSError("unsupported XML-RPC protocol").
            throw new ArgumentException($"Unsupported XML-RPC protocol '{scheme}': use http or https.", nameof(url));
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var authority = url[authorityStart..authorityEnd];
        var rest = url[authorityEnd..];
        byte[]? userInfo = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            userInfo = PercentDecode(authority[..at]);
            authority = authority[(at + 1)..];
        }

        if (rest.Length == 0)
        {
            rest = "/RPC2";
        }
        else if (rest[0] != '/')
        {
            // CPython sends "?k=v" as the request target; HTTP needs an absolute path, so "/" is added.
            rest = "/" + rest;
        }

        var uri = new Uri(scheme + "://" + authority + rest, UriKind.Absolute);
        return new EndpointAddress(uri, userInfo);
    }

    /// <summary>Percent-decodes to bytes; characters that are not escapes become their UTF-8 bytes.</summary>
    internal static byte[] PercentDecode(string text)
    {
        var raw = Encoding.UTF8.GetBytes(text);
        var result = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'%' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
            {
                result.Add((byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2])));
                i += 2;
            }
            else
            {
                result.Add(raw[i]);
            }
        }

        return [.. result];
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
