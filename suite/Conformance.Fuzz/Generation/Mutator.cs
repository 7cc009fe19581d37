using System.Text;

namespace Conformance.Fuzz.Generation;

/// <summary>Byte-level and tag-level mutations of a document: what a broken peer, a truncated body or an attacker sends.</summary>
internal static class Mutator
{
    private static readonly byte[][] Strays =
    [
        "&"u8.ToArray(), "<"u8.ToArray(), "]]>"u8.ToArray(), [0x00], [0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xC0, 0xAF], [0xEF, 0xBB, 0xBF], [0xEF, 0xBF, 0xBE], "\r"u8.ToArray(), "&#0;"u8.ToArray(), "&#xD800;"u8.ToArray(), "&amp"u8.ToArray(),
        "&lt;"u8.ToArray(), "<!--"u8.ToArray(), "-->"u8.ToArray(), "<!-- c -->"u8.ToArray(), "<?pi x?>"u8.ToArray(), "<?xml version='1.0'?>"u8.ToArray(),
        "<![CDATA["u8.ToArray(), "<![CDATA[x]]>"u8.ToArray(), "<!DOCTYPE x>"u8.ToArray(), "<value>"u8.ToArray(), "</value>"u8.ToArray(), "<data>"u8.ToArray(),
        "<spam/>"u8.ToArray(), "<x a=b>"u8.ToArray(), "<x a='1' a='2'/>"u8.ToArray(), "99999999999999999999999999999999"u8.ToArray(), "1e999"u8.ToArray(),
        "\t"u8.ToArray(), " "u8.ToArray(), "\n"u8.ToArray(), [0x01], [0x1B], [0x7F], [0x80], [0xC2, 0x85], "\u2028"u8.ToArray(), "=\""u8.ToArray(), "/>"u8.ToArray(),
        "<?\u00e9 x?>"u8.ToArray(), "<\u00e9/>"u8.ToArray(), "<a:b:c/>"u8.ToArray(), "<:x/>"u8.ToArray(), "&#x110000;"u8.ToArray(), "&#99999999999;"u8.ToArray(),
    ];

    private static readonly string[] Versions = ["0.0", "1.1", "2.0", "1.", "1.0.0", "x", "", "1.10", " 1.0"];

    /// <summary>Applies one to three mutations.</summary>
    public static byte[] Mutate(Random random, byte[] document)
    {
        var result = document;
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            result = MutateOnce(random, result);
        }

        return result;
    }

    private static byte[] MutateOnce(Random random, byte[] doc)
    {
        var list = new List<byte>(doc);
        switch (random.Next(11))
        {
            case 0 when list.Count > 0:
                // A byte flip: one bit, or a whole byte.
                var at = random.Next(list.Count);
                list[at] = random.Next(2) == 0 ? (byte)(list[at] ^ (1 << random.Next(8))) : (byte)random.Next(256);
                break;
            case 1 when list.Count > 0:
                // A truncated body.
                var cut = random.Next(list.Count);
                list.RemoveRange(cut, list.Count - cut);
                break;
            case 2:
            case 3:
                if (Tags(doc) is { Count: > 0 } tags)
                {
                    var (start, length) = tags[random.Next(tags.Count)];
                    if (random.Next(2) == 0)
                    {
                        list.RemoveRange(start, length);
                    }
                    else
                    {
                        list.InsertRange(start, doc.AsSpan(start, length).ToArray());
                    }
                }

                break;
            case 4:
            case 5:
            case 6:
                list.InsertRange(random.Next(list.Count + 1), Strays[random.Next(Strays.Length)]);
                break;
            case 7 when list.Count > 0:
                // A range deleted.
                var from = random.Next(list.Count);
                list.RemoveRange(from, Math.Min(list.Count - from, random.Next(1, 16)));
                break;
            case 8:
                return Replace(doc, "version='1.0'"u8, Encoding.ASCII.GetBytes("version='" + Versions[random.Next(Versions.Length)] + "'"), random)
                    ?? Replace(doc, "version=\"1.0\""u8, Encoding.ASCII.GetBytes("version=\"" + Versions[random.Next(Versions.Length)] + "\""), random)
                    ?? [.. Encoding.ASCII.GetBytes("<?xml version='" + Versions[random.Next(Versions.Length)] + "'?>"), .. doc];
            case 9:
                // A tag's case or name changed (mismatched tags, unknown types).
                if (Tags(doc) is { Count: > 0 } named)
                {
                    var (start, length) = named[random.Next(named.Count)];
                    var i = start + 1 + (doc[start + 1] == '/' ? 1 : 0);
                    if (i < start + length - 1 && char.IsAsciiLetter((char)list[i]))
                    {
                        list[i] = (byte)(list[i] ^ 0x20);
                    }
                }

                break;
            default:
                // A value wrapped in more arrays.
                var open = IndexOf(doc, "<value>"u8, random);
                if (open >= 0)
                {
                    var depth = random.Next(1, 400);
                    var inner = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<value><array><data>", depth)));
                    var close = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("</data></array></value>", depth)));
                    var end = IndexOf(doc.AsSpan(open), "</value>"u8);
                    if (end >= 0)
                    {
                        end += open + "</value>".Length;
                        return [.. doc[..open], .. inner, .. doc[open..end], .. close, .. doc[end..]];
                    }
                }

                break;
        }

        return [.. list];
    }

    /// <summary>The spans of <c>&lt;...&gt;</c> markup in a document.</summary>
    private static List<(int Start, int Length)> Tags(byte[] doc)
    {
        var tags = new List<(int, int)>();
        for (var i = 0; i < doc.Length; i++)
        {
            if (doc[i] != '<')
            {
                continue;
            }

            var end = Array.IndexOf(doc, (byte)'>', i);
            if (end < 0)
            {
                break;
            }

            tags.Add((i, end - i + 1));
            i = end;
        }

        return tags;
    }

    private static byte[]? Replace(byte[] doc, ReadOnlySpan<byte> from, byte[] to, Random random)
    {
        var at = IndexOf(doc, from, random);
        return at < 0 ? null : [.. doc[..at], .. to, .. doc[(at + from.Length)..]];
    }

    private static int IndexOf(byte[] doc, ReadOnlySpan<byte> what, Random random)
    {
        var hits = new List<int>();
        for (var at = doc.AsSpan().IndexOf(what); at >= 0;)
        {
            hits.Add(at);
            var next = doc.AsSpan(at + 1).IndexOf(what);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return hits.Count == 0 ? -1 : hits[random.Next(hits.Count)];
    }

    private static int IndexOf(ReadOnlySpan<byte> doc, ReadOnlySpan<byte> what) => doc.IndexOf(what);
}
