using XmlRpc.Protocol;
using XmlRpc.Server.Internal;
using Xunit;

namespace XmlRpc.Tests.Server;

/// <summary>
/// What the bytes in flight are charged with before a response is built: a lower bound of the document (never more than
/// the formatter writes) and the bytes the values hold (two a character, one a binary byte).
/// </summary>
public sealed class ResponseSizeTests
{
    public static TheoryData<string, XmlRpcValue, long> Values => new()
    {
        { "ascii string", XmlRpcValue.FromString(new string('x', 1000)), 2000 },
        { "escaped and multi-byte string", XmlRpcValue.FromString("<&>é€😀\r"), 2 * "<&>é€😀\r".Length },
        { "binary", XmlRpcValue.FromBase64(new byte[1000]), 1000 },
        { "int", XmlRpcValue.FromInt32(-7), 0 },
        {
            "nested containers",
            XmlRpcValue.Array(
                XmlRpcValue.Struct(("name", XmlRpcValue.FromString("abc")), ("data", XmlRpcValue.FromBase64(new byte[5]))),
                XmlRpcValue.Array(XmlRpcValue.FromString("de"), XmlRpcValue.Nil, XmlRpcValue.FromDouble(1.5))),
            (2 * ("name".Length + "abc".Length + "data".Length)) + 5 + (2 * "de".Length)
        },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void TheDocumentIsALowerBoundAndTheValuesAreCountedAsHeld(string name, XmlRpcValue value, long held)
    {
        var size = ResponseSize.Of(value);
        var written = XmlRpcFormatter.Default.FormatResponse(XmlRpcResponse.Success(value)).Length;

        Assert.True(size.Document <= written, $"{name}: {size.Document} > the {written} bytes written");
        Assert.Equal(held, size.Held);
        Assert.Equal(size.Document + size.Held, size.WhileFormatting);
    }

    [Fact]
    public void TheBoundIsTightForALargeString()
    {
        var value = XmlRpcValue.FromString(new string('x', 1 << 20));

        var size = ResponseSize.Of(value);
        var written = XmlRpcFormatter.Default.FormatResponse(XmlRpcResponse.Success(value)).Length;

        Assert.InRange(written - size.Document, 0, 200); // the prolog and the tags around the value
        Assert.Equal(2L << 20, size.Held);
    }

    [Fact]
    public void AFaultCountsItsText()
    {
        var size = ResponseSize.OfFault(new XmlRpcFault(1, "boom"));

        Assert.Equal(new ResponseSize(4, 8), size);
    }
}
