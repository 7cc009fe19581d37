using XmlRpc;

namespace Conformance.AotClient;

/// <summary>
/// The conformance service (python-peers/server.py and its C# twin), typed. The XmlRpcWire source generator writes the
/// proxy of this interface at compile time; <c>XmlRpcGeneratedProxies.Create</c> returns it without reflection.
/// </summary>
public interface IConformanceApi
{
    /// <summary><c>add(x, y)</c>.</summary>
    [XmlRpcMethod("add")]
    Task<int> AddAsync(int x, int y, CancellationToken cancellationToken = default);

    /// <summary><c>divide(x, y)</c>: Python's floor division.</summary>
    [XmlRpcMethod("divide")]
    Task<int> DivideAsync(int x, int y, CancellationToken cancellationToken = default);

    /// <summary><c>echo(value)</c> of a string.</summary>
    [XmlRpcMethod("echo")]
    Task<string> EchoAsync(string value, CancellationToken cancellationToken = default);

    /// <summary><c>describe(value)</c>: the server's canonical JSON of what it decoded.</summary>
    [XmlRpcMethod("describe")]
    Task<string> DescribeAsync(XmlRpcValue value, CancellationToken cancellationToken = default);

    /// <summary><c>fault(code, string)</c>: always a fault.</summary>
    [XmlRpcMethod("fault")]
    Task FaultAsync(int code, string message, CancellationToken cancellationToken = default);

    /// <summary><c>validator1.easyStructTest</c>: moe + larry + curly.</summary>
    [XmlRpcMethod("validator1.easyStructTest")]
    Task<int> EasyStructAsync(Stooges stooges, CancellationToken cancellationToken = default);

    /// <summary><c>validator1.arrayOfStructsTest</c>: the sum of the curly members.</summary>
    [XmlRpcMethod("validator1.arrayOfStructsTest")]
    Task<int> ArrayOfStructsAsync(IReadOnlyList<Stooges> structs, CancellationToken cancellationToken = default);

    /// <summary><c>validator1.simpleStructReturnTest</c>.</summary>
    [XmlRpcMethod("validator1.simpleStructReturnTest")]
    Task<Multiples> SimpleStructReturnAsync(int n, CancellationToken cancellationToken = default);

    /// <summary><c>validator1.manyTypesTest</c>: the six parameters back as an array.</summary>
    [XmlRpcMethod("validator1.manyTypesTest")]
    Task<XmlRpcValue> ManyTypesAsync(int number, bool flag, string text, double real, DateTime time, byte[] data, CancellationToken cancellationToken = default);

    /// <summary><c>system.listMethods</c>.</summary>
    [XmlRpcMethod("system.listMethods")]
    Task<string[]> ListMethodsAsync(CancellationToken cancellationToken = default);

    /// <summary><c>system.methodHelp(name)</c>.</summary>
    [XmlRpcMethod("system.methodHelp")]
    Task<string> MethodHelpAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>The validator1 struct of three stooges.</summary>
public sealed class Stooges
{
    /// <summary><c>moe</c>.</summary>
    [XmlRpcMember("moe")]
    public int Moe { get; set; }

    /// <summary><c>larry</c>.</summary>
    [XmlRpcMember("larry")]
    public int Larry { get; set; }

    /// <summary><c>curly</c>.</summary>
    [XmlRpcMember("curly")]
    public int Curly { get; set; }
}

/// <summary>The struct <c>validator1.simpleStructReturnTest</c> returns.</summary>
public sealed class Multiples
{
    /// <summary><c>times10</c>.</summary>
    [XmlRpcMember("times10")]
    public int Times10 { get; set; }

    /// <summary><c>times100</c>.</summary>
    [XmlRpcMember("times100")]
    public int Times100 { get; set; }

    /// <summary><c>times1000</c>.</summary>
    [XmlRpcMember("times1000")]
    public int Times1000 { get; set; }
}
