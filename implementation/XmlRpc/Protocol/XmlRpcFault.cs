using System.Globalization;
using XmlRpc.Internal;

namespace XmlRpc.Protocol;

/// <summary>An XML-RPC fault: a code and a string.</summary>
/// <remarks>
/// On the wire a fault is a struct with the members <c>faultCode</c> then <c>faultString</c> (the order CPython
/// writes). Reading is as tolerant as CPython's <c>Fault(**struct)</c>: extra members are ignored (they stay
/// available in <see cref="Value"/>), and a <c>faultCode</c> sent as a string of digits (<c>&lt;string&gt;4&lt;/string&gt;</c>)
/// is accepted.
/// </remarks>
/// <param name="Code">The fault code.</param>
/// <param name="Message">The fault string.</param>
public sealed record XmlRpcFault(int Code, string Message)
{
    /// <summary>The fault struct as it was received (with any extra members and the original <c>faultCode</c> type); null for a fault built in code.</summary>
    public XmlRpcValue? Value { get; init; }

    /// <summary>The <c>faultCode</c> exactly as received (an integer of any width, or the string CPython also accepts); null for a fault built in code.</summary>
    public XmlRpcValue? RawCode => Value is { } value && value.TryGetMember("faultCode", out var code) ? code : null;

    /// <summary>The wire form: a struct with <c>faultCode</c> (int) then <c>faultString</c> (string).</summary>
    public XmlRpcValue ToValue() => XmlRpcValue.CreateStructOwned(
    [
        new("faultCode", XmlRpcValue.FromInt32(Code)),
        new("faultString", XmlRpcValue.FromString(Message)),
    ]);

    /// <summary>Reads a fault struct.</summary>
    /// <remarks>
    /// <c>faultCode</c> must be an integer in the 32-bit range, or a string Python's <c>int()</c> reads as one;
    /// <c>faultString</c> is normally a string (an untyped value is one); another scalar is taken by its text.
    /// </remarks>
    /// <param name="value">The fault struct.</param>
    /// <param name="fault">The fault, when the struct is one.</param>
    /// <param name="error">What is wrong, when it is not.</param>
    public static bool TryFromValue(XmlRpcValue value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out XmlRpcFault? fault, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        fault = null;
        if (value.Kind != XmlRpcValueKind.Struct)
        {
            error = $"the fault value is {XmlRpcValue.KindName(value.Kind)}, not a struct";
            return false;
        }

        if (!value.TryGetMember("faultCode", out var code))
        {
            error = "the fault struct has no faultCode member";
            return false;
        }

        if (!value.TryGetMember("faultString", out var message))
        {
            error = "the fault struct has no faultString member";
            return false;
        }

        int codeValue;
        if (code.IsInteger)
        {
            var big = code.AsBigInteger();
            if (big < int.MinValue || big > int.MaxValue)
            {
                error = $"the faultCode {big.ToString(CultureInfo.InvariantCulture)} is outside the 32-bit range";
                return false;
            }

            codeValue = (int)big;
        }
        else if (code.Kind == XmlRpcValueKind.String
            && PythonText.ParseInt(code.AsString(), 4300, out var small, out _, out var isBig) == PythonText.IntResult.Ok
            && !isBig && small is >= int.MinValue and <= int.MaxValue)
        {
            codeValue = (int)small;
        }
        else
        {
            error = $"the faultCode is {XmlRpcValue.KindName(code.Kind)}, not an integer";
            return false;
        }

        var text = message.Kind switch
        {
            XmlRpcValueKind.String => message.AsString(),
            XmlRpcValueKind.Nil => string.Empty,
            _ => message.ToString(),
        };
        fault = new XmlRpcFault(codeValue, text) { Value = value };
        error = null;
        return true;
    }

    /// <summary>CPython's rendering: <c>&lt;Fault 42: 'Test Fault'&gt;</c>.</summary>
    public override string ToString() => $"<Fault {Code.ToString(CultureInfo.InvariantCulture)}: '{Message}'>";

    /// <summary>Code and message equality (<see cref="Value"/> is not compared).</summary>
    public bool Equals(XmlRpcFault? other) =>
        other is not null && Code == other.Code && string.Equals(Message, other.Message, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, string.GetHashCode(Message, StringComparison.Ordinal));
}
