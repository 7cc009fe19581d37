using XmlRpc;
using XmlRpc.Server;

namespace Conformance.Server;

/// <summary>The conformance service: the C# twin of <c>service_functions</c> in <c>python-peers/conformance.py</c>.</summary>
/// <remarks>
/// Same method names, same semantics (Python's: <c>bool</c> counts as <c>int</c>, integers do not overflow until
/// the result is marshalled, <c>//</c> floors, missing struct members are <c>KeyError</c>s), same help texts
/// (the Python docstrings, cleaned like <c>pydoc.getdoc</c>). Introspection and <c>system.multicall</c> come
/// from the dispatcher, as <c>register_introspection_functions</c> and <c>register_multicall_functions</c> add them.
/// </remarks>
public static class ConformanceService
{
    /// <summary>The most <c>sleep</c> waits, in seconds.</summary>
    public const double MaxSleepSeconds = 10.0;

    /// <summary>The longest string <c>make_string</c> returns: 16 MiB characters.</summary>
    public const int MaxStringLength = 16 * 1024 * 1024;

    /// <summary>Adds the service's methods to <paramref name="methods"/>.</summary>
    /// <param name="methods">The registry to fill.</param>
    /// <param name="fixturesDirectory">The <c>fixtures/</c> folder (for <c>python_logo</c>).</param>
    public static void Register(XmlRpcMethodRegistry methods, string fixturesDirectory)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(fixturesDirectory);
        var logo = Path.Combine(fixturesDirectory, "seed", "python-logo.png");

        methods.Add("echo", (XmlRpcValue value) => PythonOps.Checked(value), "Return the argument unchanged.");
        methods.Add("echo_params", (params XmlRpcValue[] @params) => PythonOps.Checked(XmlRpcValue.Array(@params)), "Return all parameters as an array.");
        methods.Add("describe", (XmlRpcValue value) => Describe(value), "Return the catalog model (canonical JSON text) of what this server decoded.");
        methods.Add("nested.echo", (XmlRpcValue value) => PythonOps.Checked(value), "Return the argument unchanged.");
        methods.Add("fault", (XmlRpcValue code, XmlRpcValue @string) => Fault(code, @string), "Raise a Fault with this code and string.");
        methods.Add(
            "raise_error",
            (XmlRpcValue message) => RaiseError(message),
            "Raise ValueError(message): CPython's server sends Fault 1 '<class 'ValueError'>:message'.");

        // Python's datetime.today(): the server's local wall-clock time, by design of the tutorial example.
        methods.Add("today", () => XmlRpcValue.FromDateTime(DateTime.Now), "Return the current local date and time (the Python xmlrpc tutorial's today()).");
        methods.Add(
            "python_logo",
            async (CancellationToken cancellationToken) => XmlRpcValue.FromBase64(await File.ReadAllBytesAsync(logo, cancellationToken).ConfigureAwait(false)),
            "Return the Python logo image (the Python xmlrpc tutorial's python_logo()).");

        methods.Add("add", (XmlRpcValue x, XmlRpcValue y) => PythonOps.Checked(PythonOps.Add(x, y)), "Return x + y.");
        methods.Add("subtract", (XmlRpcValue x, XmlRpcValue y) => PythonOps.Checked(PythonOps.Subtract(x, y)), "Return x - y.");
        methods.Add("multiply", (XmlRpcValue x, XmlRpcValue y) => PythonOps.Checked(PythonOps.Multiply(x, y)), "Return x * y.");
        methods.Add("divide", (XmlRpcValue x, XmlRpcValue y) => PythonOps.Checked(PythonOps.FloorDivide(x, y)), "Return x // y (integer division).");
        methods.Add("sleep", SleepAsync, "Sleep (at most 10 seconds), then return the seconds slept.");
        methods.Add("make_string", (XmlRpcValue length) => MakeString(length), "Return a string of `length` 'x' characters (at most 16 MiB).");

        methods.Add("validator1.arrayOfStructsTest", (XmlRpcValue structs) => ArrayOfStructs(structs), "Sum the 'curly' members of an array of structs.");
        methods.Add("validator1.countTheEntities", (XmlRpcValue s) => CountTheEntities(s), "Count < > & ' and \" characters of a string.");
        methods.Add("validator1.easyStructTest", (XmlRpcValue s) => Stooges(s), "Return moe + larry + curly of a struct.");
        methods.Add("validator1.echoStructTest", (XmlRpcValue s) => PythonOps.Checked(s), "Return the struct unchanged.");
        methods.Add(
            "validator1.manyTypesTest",
            (XmlRpcValue number, XmlRpcValue boolean, XmlRpcValue @string, XmlRpcValue @double, XmlRpcValue date_time, XmlRpcValue base64_value) =>
                PythonOps.Checked(XmlRpcValue.Array(number, boolean, @string, @double, date_time, base64_value)),
            "Return the six parameters as an array.");
        methods.Add(
            "validator1.moderateSizeArrayCheck",
            (XmlRpcValue strings) => PythonOps.Checked(PythonOps.Add(PythonOps.Item(strings, 0), PythonOps.Item(strings, -1))),
            "Return the first and the last string of an array, concatenated.");
        methods.Add(
            "validator1.nestedStructTest",
            (XmlRpcValue calendar) => Stooges(PythonOps.Item(PythonOps.Item(PythonOps.Item(calendar, "2000"), "04"), "01")),
            "Return moe + larry + curly of calendar['2000']['04']['01'].");
        methods.Add("validator1.simpleStructReturnTest", (XmlRpcValue n) => SimpleStructReturn(n), "Return n times 10, 100 and 1000 in a struct.");
    }

    private static XmlRpcValue Describe(XmlRpcValue value) => XmlRpcValue.FromString(Conformance.Catalog.CatalogModel.DescribeJson(value));

    private static XmlRpcValue Fault(XmlRpcValue code, XmlRpcValue message)
    {
        if (code.IsInteger && (code.AsBigInteger() < int.MinValue || code.AsBigInteger() > int.MaxValue))
        {
            // CPython raises the Fault, then cannot marshal its code (an HTTP 500); the message is its marshaller's.
            throw new PythonOverflowError("int exceeds XML-RPC limits");
        }

        // CPython's Marshaller.dump_fault writes {'faultCode': code, 'faultString': string} whatever their types
        // (Fault(True, [1]) is <boolean>1</boolean> and an array): the fault's Value carries both members as given.
        var fault = new XmlRpc.Protocol.XmlRpcFault(code.IsInteger ? code.AsInt32() : 0, PythonOps.Str(message))
        {
            Value = XmlRpcValue.Struct(("faultCode", code), ("faultString", message)),
        };
        throw new XmlRpcFaultException(fault);
    }

    private static XmlRpcValue RaiseError(XmlRpcValue message) => throw new PythonValueError(PythonOps.Str(message));

    private static async Task<XmlRpcValue> SleepAsync(XmlRpcValue seconds, CancellationToken cancellationToken)
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

    private static XmlRpcValue MakeString(XmlRpcValue length)
    {
        var n = PythonOps.ToInt(length);
        return XmlRpcValue.FromString(n <= 0 ? string.Empty : new string('x', (int)System.Numerics.BigInteger.Min(n, MaxStringLength)));
    }

    private static XmlRpcValue ArrayOfStructs(XmlRpcValue structs)
    {
        // sum(s["curly"] for s in structs): Python's sum starts at 0.
        var total = XmlRpcValue.FromInt32(0);
        foreach (var s in PythonOps.Iterate(structs))
        {
            total = PythonOps.Add(total, PythonOps.Item(s, "curly"));
        }

        return PythonOps.Checked(total);
    }

    private static XmlRpcValue CountTheEntities(XmlRpcValue s)
    {
        if (s.Kind != XmlRpcValueKind.String)
        {
            throw new PythonAttributeError($"'{s.PythonTypeName}' object has no attribute 'count'");
        }

        var text = s.AsString();
        return XmlRpcValue.Struct(
            ("ctLeftAngleBrackets", Count(text, '<')),
            ("ctRightAngleBrackets", Count(text, '>')),
            ("ctAmpersands", Count(text, '&')),
            ("ctApostrophes", Count(text, '\'')),
            ("ctQuotes", Count(text, '"')));

        static XmlRpcValue Count(string text, char c) => XmlRpcValue.FromInt32(text.Count(x => x == c));
    }

    private static XmlRpcValue Stooges(XmlRpcValue s) =>
        PythonOps.Checked(PythonOps.Add(PythonOps.Add(PythonOps.Item(s, "moe"), PythonOps.Item(s, "larry")), PythonOps.Item(s, "curly")));

    private static XmlRpcValue SimpleStructReturn(XmlRpcValue n) => PythonOps.Checked(XmlRpcValue.Struct(
        ("times10", PythonOps.Multiply(n, 10)),
        ("times100", PythonOps.Multiply(n, 100)),
        ("times1000", PythonOps.Multiply(n, 1000))));
}
