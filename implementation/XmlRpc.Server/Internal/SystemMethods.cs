using System.Globalization;
using XmlRpc.Protocol;

namespace XmlRpc.Server.Internal;

/// <summary>The built-in <c>system.*</c> methods of <see cref="XmlRpcDispatcher"/>.</summary>
/// <remarks>Help texts are CPython's docstrings of <c>SimpleXMLRPCDispatcher.system_*</c>, cleaned like <c>pydoc.getdoc</c>.</remarks>
internal static class SystemMethods
{
    public const string ListMethodsName = "system.listMethods";
    public const string MethodHelpName = "system.methodHelp";
    public const string MethodSignatureName = "system.methodSignature";

    private const string ListMethodsHelp = "system.listMethods() => ['add', 'subtract', 'multiple']\n\nReturns a list of the methods supported by the server.";
    private const string MethodHelpHelp = "system.methodHelp('add') => \"Adds two integers together\"\n\nReturns a string containing documentation for the specified method.";
    private const string MethodSignatureHelp = "system.methodSignature('add') => [double, int, int]\n\nReturns a list describing the signature of the method. In the\nabove example, the add method takes two integers as arguments\nand returns a double result.";
    private const string MulticallHelp = "system.multicall([{'methodName': 'add', 'params': [2, 2]}, ...]) => [[4], ...]\n\nAllows the caller to package multiple XML-RPC calls into a single\nrequest.\n\nSee http://www.xmlrpc.com/discuss/msgReader$1208";

    public static IEnumerable<XmlRpcMethodDefinition> Introspection(XmlRpcDispatcher dispatcher)
    {
        yield return new XmlRpcMethodDefinition(
            ListMethodsName,
            (parameters, _) =>
            {
                Arity(dispatcher, ListMethodsName, parameters, []);
                return ValueTask.FromResult(XmlRpcValue.Array(dispatcher.MethodNames.Select(XmlRpcValue.FromString)));
            },
            ListMethodsHelp,
            [["array"]]);

        yield return new XmlRpcMethodDefinition(
            MethodHelpName,
            (parameters, _) =>
            {
                Arity(dispatcher, MethodHelpName, parameters, ["method_name"]);
                if (dispatcher.Options.FaultProfile == XmlRpcFaultProfile.CPython
                    && parameters[0].Kind is XmlRpcValueKind.Array or XmlRpcValueKind.Struct or XmlRpcValueKind.DateTime or XmlRpcValueKind.Base64)
                {
                    // CPython looks the name up in a dict: list, dict, DateTime and Binary are unhashable.
                    throw new XmlRpcInvalidParamsException($"unhashable type: '{parameters[0].PythonTypeName}'");
                }

                var help = parameters[0].Kind == XmlRpcValueKind.String && dispatcher.TryGetMethod(parameters[0].AsString(), out var method)
                    ? method!.Help
                    : string.Empty;
                return ValueTask.FromResult(XmlRpcValue.FromString(help));
            },
            MethodHelpHelp,
            [["string", "string"]]);

        yield return new XmlRpcMethodDefinition(
            MethodSignatureName,
            (parameters, _) =>
            {
                Arity(dispatcher, MethodSignatureName, parameters, ["method_name"]);
                var name = parameters[0].Kind == XmlRpcValueKind.String ? parameters[0].AsString() : parameters[0].ToString();
                if (!dispatcher.TryGetMethod(name, out var method))
                {
                    throw new XmlRpcFaultException(dispatcher.Faults.MethodNotFound(name));
                }

                // The introspection specification: an array of signatures, or a non-array ("undef") when unknown.
                return ValueTask.FromResult(method!.Signatures.Count == 0
                    ? XmlRpcValue.FromString("undef")
                    : XmlRpcValue.Array(method.Signatures.Select(s => XmlRpcValue.Array(s.Select(XmlRpcValue.FromString)))));
            },
            MethodSignatureHelp,
            [["array", "string"]]);
    }

    /// <summary>
    /// <c>system.multicall</c> as a method (its result a value): what <see cref="XmlRpcDispatcher.DispatchAsync"/> calls, and a
    /// request answered in another encoding than UTF-8. Otherwise a request's multicall is written as its calls return
    /// (<c>XmlRpcDispatcher.StreamMulticallAsync</c>).
    /// </summary>
    public static XmlRpcMethodDefinition Multicall(XmlRpcDispatcher dispatcher) => new(
        XmlRpcMultiCall.MethodName,
        async (parameters, cancellationToken) =>
        {
            var calls = MulticallCalls(dispatcher, parameters);
            var results = new List<XmlRpcMultiCallResult>(calls.Count);
            var size = new ResponseSize(0, 0);
            foreach (var entry in calls)
            {
                // Stop before the results held in memory pass the response limit, not after the response is built.
                if (size.Document > dispatcher.Options.MaxResponseBytes)
                {
                    throw new XmlRpcFaultException(dispatcher.Faults.ResponseTooLarge(dispatcher.Options.MaxResponseBytes));
                }

                var result = await RunCallAsync(dispatcher, entry, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                size += result.IsFault ? ResponseSize.OfFault(result.Fault) : ResponseSize.Of(result.Value);
                ResponseBudget.Current?.EnsureReserved(size.WhileFormatting);
            }

            return XmlRpcMultiCall.CreateResult(results);
        },
        MulticallHelp,
        [["array", "array"]]);

    /// <summary>The calls of a <c>system.multicall</c>, checked as CPython checks its argument (empty: nothing to run).</summary>
    /// <exception cref="XmlRpcInvalidParamsException">The argument count, or an argument CPython cannot iterate.</exception>
    /// <exception cref="XmlRpcFaultException">More calls than <see cref="XmlRpcServerOptions.MaxMulticallCalls"/>.</exception>
    public static IReadOnlyList<XmlRpcValue> MulticallCalls(XmlRpcDispatcher dispatcher, IReadOnlyList<XmlRpcValue> parameters)
    {
        Arity(dispatcher, XmlRpcMultiCall.MethodName, parameters, ["call_list"]);
        var calls = parameters[0];
        if (calls.Kind != XmlRpcValueKind.Array)
        {
            if (dispatcher.Options.FaultProfile != XmlRpcFaultProfile.CPython)
            {
                throw new XmlRpcInvalidParamsException(string.Format(
                    CultureInfo.InvariantCulture,
                    "system.multicall expects an array of calls, not {0}",
                    calls.Kind.ToString().ToLowerInvariant()));
            }

            // CPython iterates the argument (`for call in call_list`): nothing to do for an empty string or struct,
            // call['methodName'] on a character or a member name for a non-empty one, else not iterable.
            if (calls.Kind is XmlRpcValueKind.String or XmlRpcValueKind.Struct)
            {
                var empty = calls.Kind == XmlRpcValueKind.String ? calls.AsString().Length == 0 : calls.Count == 0;
                return empty ? [] : throw new XmlRpcInvalidParamsException("string indices must be integers, not 'str'");
            }

            throw new XmlRpcInvalidParamsException($"'{calls.PythonTypeName}' object is not iterable");
        }

        if (calls.Count > dispatcher.Options.MaxMulticallCalls)
        {
            throw new XmlRpcFaultException(dispatcher.Faults.InvalidRequest(string.Format(
                CultureInfo.InvariantCulture,
                "system.multicall carries {0} calls; this server accepts at most {1}",
                calls.Count,
                dispatcher.Options.MaxMulticallCalls)));
        }

        return calls.AsArray();
    }

    /// <summary>One call of a <c>system.multicall</c>: its result or its fault (a malformed or nested call is a fault).</summary>
    public static async ValueTask<XmlRpcMultiCallResult> RunCallAsync(XmlRpcDispatcher dispatcher, XmlRpcValue entry, CancellationToken cancellationToken)
    {
        if (!XmlRpcMultiCall.TryReadCall(entry, out var call, out _))
        {
            return XmlRpcMultiCallResult.FromFault(FaultFactory.MalformedCall());
        }

        if (call.MethodName == XmlRpcMultiCall.MethodName)
        {
            return XmlRpcMultiCallResult.FromFault(dispatcher.Faults.NestedMulticall());
        }

        var response = await dispatcher.DispatchAsync(call, cancellationToken).ConfigureAwait(false);
        return response.IsFault ? XmlRpcMultiCallResult.FromFault(response.Fault) : XmlRpcMultiCallResult.Success(response.Value);
    }

    /// <summary>Python's positional-count TypeErrors for the built-ins.</summary>
    /// <remarks>
    /// In the CPython profile byte-identical to 3.11's: the built-ins are bound methods of <c>SimpleXMLRPCDispatcher</c>,
    /// so the name is qualified and <c>self</c> counts (<c>SimpleXMLRPCDispatcher.system_listMethods() takes 1 positional
    /// argument but 2 were given</c>). The interop profile names the XML-RPC method and counts only its parameters.
    /// </remarks>
    private static void Arity(XmlRpcDispatcher dispatcher, string name, IReadOnlyList<XmlRpcValue> parameters, string[] names)
    {
        var cpython = dispatcher.Options.FaultProfile == XmlRpcFaultProfile.CPython;
        var shown = cpython ? "SimpleXMLRPCDispatcher." + name.Replace('.', '_') : name;
        var self = cpython ? 1 : 0;
        if (parameters.Count < names.Length)
        {
            throw new XmlRpcInvalidParamsException(string.Format(
                CultureInfo.InvariantCulture,
                "{0}() missing {1} required positional argument{2}: {3}",
                shown,
                names.Length - parameters.Count,
                names.Length - parameters.Count == 1 ? string.Empty : "s",
                string.Join(" and ", names.Skip(parameters.Count).Select(n => "'" + n + "'"))));
        }

        if (parameters.Count > names.Length)
        {
            throw new XmlRpcInvalidParamsException(string.Format(
                CultureInfo.InvariantCulture,
                "{0}() takes {1} positional argument{2} but {3} {4} given",
                shown,
                names.Length + self,
                names.Length + self == 1 ? string.Empty : "s",
                parameters.Count + self,
                parameters.Count + self == 1 ? "was" : "were"));
        }
    }
}
