using XmlRpc;
using XmlRpc.Server;

namespace Conformance.Server;

/// <summary>The conformance service: the C# twin of <c>service_functions</c> in <c>python-peers/conformance.py</c>.</summary>
/// <remarks>
/// <para>Same method names, same semantics (Python's: <c>bool</c> counts as <c>int</c>, integers do not overflow until
/// the result is marshalled, <c>//</c> floors, missing struct members are <c>KeyError</c>s), same help texts
/// (the Python docstrings, cleaned like <c>pydoc.getdoc</c>). Introspection and <c>system.multicall</c> come
/// from the dispatcher, as <c>register_introspection_functions</c> and <c>register_multicall_functions</c> add them.</para>
/// <para>Every parameter is an <see cref="XmlRpcValue"/>, so every value reaches the method and fails there as it does in
/// Python; the parameter names are the Python function's, because they appear in the argument-count faults
/// (<c>add() missing 1 required positional argument: 'y'</c>). The XmlRpcWire source generator binds this class at
/// compile time (<c>AddGenerated</c>): no reflection, so the service runs trimmed and as Native AOT.</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "XML-RPC methods are bound as instance methods (AddGenerated, AddInstance).")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Parameter names are the Python function's ('string', 'double'): they appear in the argument-count faults.")]
public sealed class ConformanceService
{
    /// <summary>The most <c>sleep</c> waits, in seconds.</summary>
    public const double MaxSleepSeconds = 10.0;

    /// <summary>The longest string <c>make_string</c> returns: 16 MiB characters.</summary>
    public const int MaxStringLength = 16 * 1024 * 1024;

    private readonly string _logo;

    /// <summary>Creates the service.</summary>
    /// <param name="fixturesDirectory">The <c>fixtures/</c> folder (for <c>python_logo</c>).</param>
    public ConformanceService(string fixturesDirectory)
    {
        ArgumentNullException.ThrowIfNull(fixturesDirectory);
        _logo = Path.Combine(fixturesDirectory, "seed", "python-logo.png");
    }

    /// <summary>Adds the service's methods to <paramref name="methods"/>, through the generated binding.</summary>
    /// <param name="methods">The registry to fill.</param>
    /// <param name="fixturesDirectory">The <c>fixtures/</c> folder (for <c>python_logo</c>).</param>
    public static void Register(XmlRpcMethodRegistry methods, string fixturesDirectory)
    {
        ArgumentNullException.ThrowIfNull(methods);
        methods.AddGenerated(new ConformanceService(fixturesDirectory));
    }

    /// <summary><c>echo</c>.</summary>
    [XmlRpcMethod("echo")]
    [XmlRpcHelp("Return the argument unchanged.")]
    public XmlRpcValue Echo(XmlRpcValue value) => PythonOps.Checked(value);

    /// <summary><c>echo_params</c>.</summary>
    [XmlRpcMethod("echo_params")]
    [XmlRpcHelp("Return all parameters as an array.")]
    public XmlRpcValue EchoParams(params XmlRpcValue[] @params) => PythonOps.Checked(XmlRpcValue.Array(@params));

    /// <summary><c>describe</c>.</summary>
    [XmlRpcMethod("describe")]
    [XmlRpcHelp("Return the catalog model (canonical JSON text) of what this server decoded.")]
    public XmlRpcValue Describe(XmlRpcValue value) => XmlRpcValue.FromString(Conformance.Catalog.CatalogModel.DescribeJson(value));

    /// <summary><c>nested.echo</c>.</summary>
    [XmlRpcMethod("nested.echo")]
    [XmlRpcHelp("Return the argument unchanged.")]
    public XmlRpcValue NestedEcho(XmlRpcValue value) => PythonOps.Checked(value);

    /// <summary><c>fault</c>.</summary>
    [XmlRpcMethod("fault")]
    [XmlRpcHelp("Raise a Fault with this code and string.")]
    public XmlRpcValue Fault(XmlRpcValue code, XmlRpcValue @string)
    {
        if (code.IsInteger && (code.AsBigInteger() < int.MinValue || code.AsBigInteger() > int.MaxValue))
        {
            // CPython raises the Fault, then cannot marshal its code (an HTTP 500); the message is its marshaller's.
            throw new PythonOverflowError("int exceeds XML-RPC limits");
        }

        // CPython's Marshaller.dump_fault writes {'faultCode': code, 'faultString': string} whatever their types
        // (Fault(True, [1]) is <boolean>1</boolean> and an array): the fault's Value carries both members as given.
        var fault = new XmlRpc.Protocol.XmlRpcFault(code.IsInteger ? code.AsInt32() : 0, PythonOps.Str(@string))
        {
            Value = XmlRpcValue.Struct(("faultCode", code), ("faultString", @string)),
        };
        throw new XmlRpcFaultException(fault);
    }

    /// <summary><c>raise_error</c>.</summary>
    [XmlRpcMethod("raise_error")]
    [XmlRpcHelp("Raise ValueError(message): CPython's server sends Fault 1 '<class 'ValueError'>:message'.")]
    public XmlRpcValue RaiseError(XmlRpcValue message) => throw new PythonValueError(PythonOps.Str(message));

    /// <summary><c>today</c>: Python's <c>datetime.today()</c>, the server's local wall-clock time, by design of the tutorial example.</summary>
    [XmlRpcMethod("today")]
    [XmlRpcHelp("Return the current local date and time (the Python xmlrpc tutorial's today()).")]
    public XmlRpcValue Today() => XmlRpcValue.FromDateTime(DateTime.Now);

    /// <summary><c>python_logo</c>.</summary>
    [XmlRpcMethod("python_logo")]
    [XmlRpcHelp("Return the Python logo image (the Python xmlrpc tutorial's python_logo()).")]
    public async Task<XmlRpcValue> PythonLogoAsync(CancellationToken cancellationToken) =>
        XmlRpcValue.FromBase64(await File.ReadAllBytesAsync(_logo, cancellationToken).ConfigureAwait(false));

    /// <summary><c>add</c>.</summary>
    [XmlRpcMethod("add")]
    [XmlRpcHelp("Return x + y.")]
    public XmlRpcValue Add(XmlRpcValue x, XmlRpcValue y) => PythonOps.Checked(PythonOps.Add(x, y));

    /// <summary><c>subtract</c>.</summary>
    [XmlRpcMethod("subtract")]
    [XmlRpcHelp("Return x - y.")]
    public XmlRpcValue Subtract(XmlRpcValue x, XmlRpcValue y) => PythonOps.Checked(PythonOps.Subtract(x, y));

    /// <summary><c>multiply</c>.</summary>
    [XmlRpcMethod("multiply")]
    [XmlRpcHelp("Return x * y.")]
    public XmlRpcValue Multiply(XmlRpcValue x, XmlRpcValue y) => PythonOps.Checked(PythonOps.Multiply(x, y));

    /// <summary><c>divide</c>.</summary>
    [XmlRpcMethod("divide")]
    [XmlRpcHelp("Return x // y (integer division).")]
    public XmlRpcValue Divide(XmlRpcValue x, XmlRpcValue y) => PythonOps.Checked(PythonOps.FloorDivide(x, y));

    /// <summary><c>sleep</c>.</summary>
    [XmlRpcMethod("sleep")]
    [XmlRpcHelp("Sleep (at most 10 seconds), then return the seconds slept.")]
    public async Task<XmlRpcValue> SleepAsync(XmlRpcValue seconds, CancellationToken cancellationToken)
    {
        var wait = Math.Min(PythonOps.ToFloat(seconds), MaxSleepSeconds);
        if (wait < 0)
        {
            throw new PythonValueError("sleep length must be non-negative");
        }

        if (double.IsNaN(wait))
        {
            throw new PythonValueError("Invalid value NaN (not a number)");
        }

        await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken).ConfigureAwait(false);
        return PythonOps.Checked(seconds);
    }

    /// <summary><c>make_string</c>.</summary>
    [XmlRpcMethod("make_string")]
    [XmlRpcHelp("Return a string of `length` 'x' characters (at most 16 MiB).")]
    public XmlRpcValue MakeString(XmlRpcValue length)
    {
        var n = PythonOps.ToInt(length);
        return XmlRpcValue.FromString(n <= 0 ? string.Empty : new string('x', (int)System.Numerics.BigInteger.Min(n, MaxStringLength)));
    }

    /// <summary><c>validator1.arrayOfStructsTest</c>.</summary>
    [XmlRpcMethod("validator1.arrayOfStructsTest")]
    [XmlRpcHelp("Sum the 'curly' members of an array of structs.")]
    public XmlRpcValue ArrayOfStructs(XmlRpcValue structs)
    {
        // sum(s["curly"] for s in structs): Python's sum starts at 0.
        var total = XmlRpcValue.FromInt32(0);
        foreach (var s in PythonOps.Iterate(structs))
        {
            total = PythonOps.Add(total, PythonOps.Item(s, "curly"));
        }

        return PythonOps.Checked(total);
    }

    /// <summary><c>validator1.countTheEntities</c>.</summary>
    [XmlRpcMethod("validator1.countTheEntities")]
    [XmlRpcHelp("Count < > & ' and \" characters of a string.")]
    public XmlRpcValue CountTheEntities(XmlRpcValue s)
    {
        // s.count(c): the characters of a str; the items of a list equal to c (a str, or a DateTime whose text is c: its
        // __eq__ compares its text with a str); nothing else has a count().
        Func<char, int> count = s.Kind switch
        {
            XmlRpcValueKind.String => c => s.AsString().Count(x => x == c),
            XmlRpcValueKind.Array => c => s.AsArray().Count(item =>
                (item.Kind == XmlRpcValueKind.String && item.AsString() == c.ToString())
                || (item.Kind == XmlRpcValueKind.DateTime && item.AsDateTimeText() == c.ToString())),
            _ => throw new PythonAttributeError($"'{s.PythonTypeName}' object has no attribute 'count'"),
        };
        return XmlRpcValue.Struct(
            ("ctLeftAngleBrackets", count('<')),
            ("ctRightAngleBrackets", count('>')),
            ("ctAmpersands", count('&')),
            ("ctApostrophes", count('\'')),
            ("ctQuotes", count('"')));
    }

    /// <summary><c>validator1.easyStructTest</c>.</summary>
    [XmlRpcMethod("validator1.easyStructTest")]
    [XmlRpcHelp("Return moe + larry + curly of a struct.")]
    public XmlRpcValue EasyStruct(XmlRpcValue s) => Stooges(s);

    /// <summary><c>validator1.echoStructTest</c>.</summary>
    [XmlRpcMethod("validator1.echoStructTest")]
    [XmlRpcHelp("Return the struct unchanged.")]
    public XmlRpcValue EchoStruct(XmlRpcValue s) => PythonOps.Checked(s);

    /// <summary><c>validator1.manyTypesTest</c>.</summary>
    [XmlRpcMethod("validator1.manyTypesTest")]
    [XmlRpcHelp("Return the six parameters as an array.")]
    public XmlRpcValue ManyTypes(XmlRpcValue number, XmlRpcValue boolean, XmlRpcValue @string, XmlRpcValue @double, XmlRpcValue date_time, XmlRpcValue base64_value) =>
        PythonOps.Checked(XmlRpcValue.Array(number, boolean, @string, @double, date_time, base64_value));

    /// <summary><c>validator1.moderateSizeArrayCheck</c>.</summary>
    [XmlRpcMethod("validator1.moderateSizeArrayCheck")]
    [XmlRpcHelp("Return the first and the last string of an array, concatenated.")]
    public XmlRpcValue ModerateSizeArray(XmlRpcValue strings) => PythonOps.Checked(PythonOps.Add(PythonOps.Item(strings, 0), PythonOps.Item(strings, -1)));

    /// <summary><c>validator1.nestedStructTest</c>.</summary>
    [XmlRpcMethod("validator1.nestedStructTest")]
    [XmlRpcHelp("Return moe + larry + curly of calendar['2000']['04']['01'].")]
    public XmlRpcValue NestedStruct(XmlRpcValue calendar) => Stooges(PythonOps.Item(PythonOps.Item(PythonOps.Item(calendar, "2000"), "04"), "01"));

    /// <summary><c>validator1.simpleStructReturnTest</c>.</summary>
    [XmlRpcMethod("validator1.simpleStructReturnTest")]
    [XmlRpcHelp("Return n times 10, 100 and 1000 in a struct.")]
    public XmlRpcValue SimpleStructReturn(XmlRpcValue n) => PythonOps.Checked(XmlRpcValue.Struct(
        ("times10", PythonOps.Multiply(n, 10)),
        ("times100", PythonOps.Multiply(n, 100)),
        ("times1000", PythonOps.Multiply(n, 1000))));

    private static XmlRpcValue Stooges(XmlRpcValue s) =>
        PythonOps.Checked(PythonOps.Add(PythonOps.Add(PythonOps.Item(s, "moe"), PythonOps.Item(s, "larry")), PythonOps.Item(s, "curly")));
}
