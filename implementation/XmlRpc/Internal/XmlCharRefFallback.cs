using System.Globalization;
using System.Text;

namespace XmlRpc.Internal;

/// <summary>Python's <c>'xmlcharrefreplace'</c> error handler: an unencodable character becomes <c>&amp;#N;</c> (decimal code point).</summary>
internal sealed class XmlCharRefFallback : EncoderFallback
{
    public static XmlCharRefFallback Instance { get; } = new();

    public override int MaxCharCount => 10;

    public override EncoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

    private sealed class Buffer : EncoderFallbackBuffer
    {
        private string _text = string.Empty;
        private int _pos;

        public override int Remaining => _text.Length - _pos;

        public override bool Fallback(char charUnknown, int index)
        {
            _text = "&#" + ((int)charUnknown).ToString(CultureInfo.InvariantCulture) + ";";
            _pos = 0;
            return true;
        }

        public override bool Fallback(char charUnknownHigh, char charUnknownLow, int index)
        {
            _text = "&#" + char.ConvertToUtf32(charUnknownHigh, charUnknownLow).ToString(CultureInfo.InvariantCulture) + ";";
            _pos = 0;
            return true;
        }

        public override char GetNextChar() => _pos < _text.Length ? _text[_pos++] : '\0';

        public override bool MovePrevious()
        {
            if (_pos == 0)
            {
                return false;
            }

            _pos--;
            return true;
        }

        public override void Reset()
        {
            _text = string.Empty;
            _pos = 0;
        }
    }
}
