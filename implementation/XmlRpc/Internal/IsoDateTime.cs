namespace XmlRpc.Internal;

/// <summary>The <c>dateTime.iso8601</c> text CPython writes, and a lenient reader for <see cref="XmlRpcValue.TryGetDateTime"/>.</summary>
internal static class IsoDateTime
{
    /// <summary>Length of <c>YYYYMMDDTHH:MM:SS</c>.</summary>
    public const int Length = 17;

    public static string Format(DateTime value) =>
        string.Create(Length, value, static (span, v) =>
        {
            Span<byte> bytes = stackalloc byte[Length];
            FormatUtf8(v, bytes);
            for (var i = 0; i < Length; i++)
            {
                span[i] = (char)bytes[i];
            }
        });

    /// <summary>Writes <c>YYYYMMDDTHH:MM:SS</c> (17 bytes): fraction truncated, kind and zone ignored.</summary>
    public static void FormatUtf8(DateTime value, Span<byte> destination)
    {
        Four(destination, value.Year);
        Two(destination[4..], value.Month);
        Two(destination[6..], value.Day);
        destination[8] = (byte)'T';
        Two(destination[9..], value.Hour);
        destination[11] = (byte)':';
        Two(destination[12..], value.Minute);
        destination[14] = (byte)':';
        Two(destination[15..], value.Second);
    }

    private static void Four(Span<byte> d, int v)
    {
        d[0] = (byte)('0' + (v / 1000));
        d[1] = (byte)('0' + (v / 100 % 10));
        d[2] = (byte)('0' + (v / 10 % 10));
        d[3] = (byte)('0' + (v % 10));
    }

    private static void Two(Span<byte> d, int v)
    {
        d[0] = (byte)('0' + (v / 10));
        d[1] = (byte)('0' + (v % 10));
    }

    public static bool TryParse(string text, out DateTime value)
    {
        value = default;
        var s = text.AsSpan().Trim();
        var i = 0;
        if (!Digits(s, ref i, 4, out var year))
        {
            return false;
        }

        var dashed = i < s.Length && s[i] == '-';
        if (dashed)
        {
            i++;
        }

        if (!Digits(s, ref i, 2, out var month) || (dashed && !Skip(s, ref i, '-')) || !Digits(s, ref i, 2, out var day))
        {
            return false;
        }

        if (!Skip(s, ref i, 'T'))
        {
            return false;
        }

        if (!Digits(s, ref i, 2, out var hour))
        {
            return false;
        }

        var colons = i < s.Length && s[i] == ':';
        if (colons)
        {
            i++;
        }

        if (!Digits(s, ref i, 2, out var minute) || (colons && !Skip(s, ref i, ':')) || !Digits(s, ref i, 2, out var second))
        {
            return false;
        }

        long ticks = 0;
        if (i < s.Length && (s[i] == '.' || s[i] == ','))
        {
            i++;
            var start = i;
            var scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                scale /= 10;
                ticks += (s[i] - '0') * scale;
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        TimeSpan? offset = null;
        if (i < s.Length)
        {
            if (s[i] == 'Z' && i + 1 == s.Length)
            {
                offset = TimeSpan.Zero;
                i++;
            }
            else if (s[i] is '+' or '-')
            {
                var negative = s[i] == '-';
                i++;
                if (!Digits(s, ref i, 2, out var oh))
                {
                    return false;
                }

                var om = 0;
                if (i < s.Length)
                {
                    Skip(s, ref i, ':');
                    if (!Digits(s, ref i, 2, out om))
                    {
                        return false;
                    }
                }

                if (oh > 23 || om > 59)
                {
                    return false;
                }

                offset = new TimeSpan(oh, om, 0) * (negative ? -1 : 1);
            }
        }

        if (i != s.Length || month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59 || year < 1
            || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        if (offset is null)
        {
            value = local;
            return true;
        }

        var utcTicks = local.Ticks - offset.Value.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTime(utcTicks, DateTimeKind.Utc);
        return true;
    }

    private static bool Skip(ReadOnlySpan<char> s, ref int i, char c)
    {
        if (i < s.Length && s[i] == c)
        {
            i++;
            return true;
        }

        return false;
    }

    private static bool Digits(ReadOnlySpan<char> s, ref int i, int count, out int value)
    {
        value = 0;
        if (i + count > s.Length)
        {
            return false;
        }

        for (var k = 0; k < count; k++)
        {
            var c = s[i + k];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        i += count;
        return true;
    }
}
