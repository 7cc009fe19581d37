using System.Globalization;
using XmlRpc.Internal;

namespace XmlRpc.Protocol;

/// <summary>An XML-RPC fault: a code and a string.</summary>
/// <remarks>
/// On the wire a fault is a struct with the members <c>faultCode</c> then <c>faultString</c> (the order CPython
/// writes). Reading is as tolerant as CPython's <c>Fault(**struct)</c>, which takes any <c>faultCode</c>: extra members
/// are ignored (they stay available in <see cref="Value"/>); a <c>faultCode</c> sent as a string of digits
/// (<c>&lt;string&gt;4&lt;/string&gt;</c>) is read as that number; any other <c>faultCode</c> (<c>Server.Error</c>, an
/// integer beyond 32 bits, a double) still makes a fault, with <see cref="Code"/> 0 and the code as sent in
/// <see cref="RawCode"/>.
/// </remarks>
/// <param name="Code">The fault code; 0 when the received <c>faultCode</c> is not a 32-bit integer (see <see cref="RawCode"/>).</param>
/// <param name="Message">The fault string.</param>
public sealed record XmlRpcFault(int Code, string Message)
{
    /// <summary>The fault struct as it was received (with any extra members and the original <c>faultCode</c> type); null for a fault built in code.</summary>
    public XmlRpcValue? Value { get; init; }

    /// <summary>The <c>faultCode</c> exactly as received (an integer of any width, or the string CPython also accepts); null for a fault built in code.</summary>
    public XmlRpcValue? RawCode => Value is { } value && value.TryGetMember("faultCode", out var code) ? code : null;

    /// <summary>The wire form: a struct with <c>faultCode</c> (int) then <c>faultString</c> (string).</summary>
    /// <remarks>A received fault (<see cref="Value"/> set) keeps both members as they came, whatever their types, and drops
    /// any other member: CPython's <c>Marshaller.dump_fault</c> writes <c>{'faultCode': f.faultCode, 'faultString': f.faultString}</c>
    /// of the <c>Fault</c> that <c>loads</c> built, so a server echoing a received fault sends <c>&lt;string&gt;4&lt;/string&gt;</c> back as it came.</remarks>
    public XmlRpcValue ToValue() => XmlRpcValue.CreateStructOwned(
    [
        new("faultCode", RawCode ?? XmlRpcValue.FromInt32(Code)),
        new("faultString", Value is { } value && value.TryGetMember("faultString", out var text) ? text : XmlRpcValue.FromString(Message)),
    ]);

    /// <summary>Reads a fault struct.</summary>
    /// <remarks>
    /// Both members must be present (CPython's <c>Fault(**struct)</c> raises <c>TypeError</c> otherwise). <c>faultCode</c>
    /// may be anything: an integer in the 32-bit range, or a string Python's <c>int()</c> reads as one, becomes
    /// <see cref="Code"/>; anything else leaves <see cref="Code"/> 0 and stays in <see cref="RawCode"/>.
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

        var codeValue = 0;
        if (code.IsInteger)
        {
            var big = code.AsBigInteger();
            codeValue = big >= int.MinValue && big <= int.MaxValue ? (int)big : 0;
        }
        else if (code.Kind == XmlRpcValueKind.String
            && PythonText.ParseInt(code.AsString(), 4300, out var small, out _, out var isBig, out _) == PythonText.IntResult.Ok
            && !isBig && small is >= int.MinValue and <= int.MaxValue)
        {
            codeValue = (int)small;
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

    /// <summary>CPython's rendering, <c>&lt;Fault 42: 'Test Fault'&gt;</c>, with the code as received (<c>&lt;Fault Server.Error: 'x'&gt;</c>).</summary>
    public override string ToString()
    {
        var code = RawCode switch
        {
            { Kind: XmlRpcValueKind.String } text => text.AsString(),
            { IsInteger: true } integer => integer.AsBigInteger().ToString(CultureInfo.InvariantCulture),
            { } other => other.ToString(),
            null => Code.ToString(CultureInfo.InvariantCulture),
        };
        return $"<Fault {code}: '{Message}'>";
    }

    /// <summary>Code and message equality (<see cref="Value"/> is not compared).</summary>
    public bool Equals(XmlRpcFault? other) =>
        other is not null && Code == other.Code && string.Equals(Message, other.Message, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, string.GetHashCode(Message, StringComparison.Ordinal));
}
