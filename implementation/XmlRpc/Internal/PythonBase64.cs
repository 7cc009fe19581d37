using System.Buffers;
using System.Buffers.Text;

namespace XmlRpc.Internal;

/// <summary>Python's <c>base64.decodebytes</c> (<c>binascii.a2b_base64</c>, non-strict mode), ported step by step.</summary>
internal static class PythonBase64
{
    private static readonly sbyte[] Table = CreateTable();

    public enum Result
    {
        Ok,
        NonAscii,
        IncorrectPadding,
        InvalidLength,
    }

    /// <summary>An upper bound of the decoded length.</summary>
    public static int MaxDecodedLength(int encodedLength) => ((encodedLength / 4) + 1) * 3;

    /// <summary>
    /// Decodes like CPython: characters outside the alphabet (whitespace included) are skipped, a pad sequence
    /// ends the data once the quad has at least two characters, and a quad left with one character is an
    /// invalid length while two or three are "Incorrect padding".
    /// </summary>
    public static Result Decode(ReadOnlySpan<byte> ascii, Span<byte> destination, out int written)
    {
        if (TryDecodeLines(ascii, destination, out written))
        {
            return Result.Ok;
        }

        written = 0;
        var quadPos = 0;
        var leftChar = 0;
        var pads = 0;
        for (var i = 0; i < ascii.Length; i++)
        {
            var ch = ascii[i];
            if (ch >= 0x80)
            {
                return Result.NonAscii;
            }

            if (ch == '=')
            {
                if (quadPos >= 2 && quadPos + ++pads >= 4)
                {
                    // The remaining characters must still be ASCII: CPython encodes the text to ASCII first.
                    for (var k = i + 1; k < ascii.Length; k++)
                    {
                        if (ascii[k] >= 0x80)
                        {
                            return Result.NonAscii;
                        }
                    }

                    return Result.Ok;
                }

                continue;
            }

            int v = Table[ch];
            if (v < 0)
            {
                continue;
            }

            pads = 0;
            switch (quadPos)
            {
                case 0:
                    quadPos = 1;
                    leftChar = v;
                    break;
                case 1:
                    quadPos = 2;
                    destination[written++] = (byte)((leftChar << 2) | (v >> 4));
                    leftChar = v & 0x0f;
                    break;
                case 2:
                    quadPos = 3;
                    destination[written++] = (byte)((leftChar << 4) | (v >> 2));
                    leftChar = v & 0x03;
                    break;
                default:
                    quadPos = 0;
                    destination[written++] = (byte)((leftChar << 6) | v);
                    leftChar = 0;
                    break;
            }
        }

        return quadPos switch
        {
            0 => Result.Ok,
            1 => Result.InvalidLength,
            _ => Result.IncorrectPadding,
        };
    }

    /// <summary>
    /// The fast path for what writers send (CPython's <c>encodebytes</c> layout, or one line): lines of strict base64,
    /// padding only at the very end, separated by <c>\n</c>. Such text decodes the same way in both decoders; anything
    /// else returns false and goes through the lenient port.
    /// </summary>
    private static bool TryDecodeLines(ReadOnlySpan<byte> ascii, Span<byte> destination, out int written)
    {
        written = 0;
        while (!ascii.IsEmpty)
        {
            var newline = ascii.IndexOf((byte)'\n');
            var line = newline < 0 ? ascii : ascii[..newline];
            ascii = newline < 0 ? default : ascii[(newline + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }

            var last = ascii.IsEmpty || ascii.IndexOfAnyExcept((byte)'\n') < 0;
            if (line.Length % 4 != 0
                || Base64.DecodeFromUtf8(line, destination[written..], out var consumed, out var n, isFinalBlock: last) != OperationStatus.Done
                || consumed != line.Length
                || (!last && line[^1] == '='))
            {
                return false;
            }

            written += n;
        }

        return true;
    }

    private static sbyte[] CreateTable()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (var i = 0; i < alphabet.Length; i++)
        {
            table[alphabet[i]] = (sbyte)i;
        }

        return table;
    }
}
