using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace XmlRpc.Server.Internal;

/// <summary>Turns a CLR method into an <see cref="XmlRpcMethodHandler"/>: positional binding, CLR mapping, async results.</summary>
/// <remarks>
/// Like CPython's <c>func(*params)</c>, parameters bind by position only; a wrong count is a <c>TypeError</c>
/// worded as Python words it. A <see cref="CancellationToken"/> parameter receives the request's token and does
/// not count as a position; a trailing <c>params T[]</c> takes the remaining parameters (Python's <c>*args</c>).
/// </remarks>
[RequiresUnreferencedCode("Parameters and results are mapped to and from CLR types by reflection.")]
[RequiresDynamicCode("Parameters and results are mapped to and from CLR types by reflection.")]
internal sealed class MethodBinder
{
    // Arguments of methods with up to this many parameters are bound on the stack (no object[] per call).
    private const int InlineArguments = 8;

    private readonly string _name;
    private readonly MethodInfo _method;
    private readonly object? _target;
    private readonly ParameterInfo[] _parameters;
    private readonly Type[] _parameterTypes;
    private readonly object?[] _defaults;
    private readonly int _tokenIndex;
    private readonly int _variadicIndex;
    private readonly Type? _variadicElement;
    private readonly ParameterInfo[] _positional;
    private readonly string[] _positionalNames;
    private readonly bool[] _positionalOptional;

    // Made once per method: the call itself (System.Reflection.MethodInvoker: no argument array, no wrapping of the
    // method's exceptions) and how the returned object becomes a result.
    private readonly MethodInvoker _invoker;
    private readonly ReturnKind _returnKind;
    private readonly MethodInvoker? _taskResult;
    private readonly MethodInvoker? _valueTaskAsTask;

    public MethodBinder(string name, MethodInfo method, object? target)
    {
        if (method.ContainsGenericParameters)
        {
            throw new ArgumentException($"{method.DeclaringType}.{method.Name} is generic: an XML-RPC method needs concrete parameter types.", nameof(method));
        }

        _name = name;
        _method = method;
        _target = target;
        _parameters = method.GetParameters();
        _tokenIndex = Array.FindIndex(_parameters, p => p.ParameterType == typeof(CancellationToken));
        var last = _parameters.Length - 1;
        if (last >= 0 && last != _tokenIndex && _parameters[last].IsDefined(typeof(ParamArrayAttribute)))
        {
            _variadicIndex = last;
            _variadicElement = _parameters[last].ParameterType.GetElementType();
        }
        else
        {
            _variadicIndex = -1;
        }

        _positional = [.. _parameters.Where((p, i) => i != _tokenIndex && i != _variadicIndex)];
        foreach (var p in _parameters)
        {
            if (p.ParameterType.IsByRef)
            {
                throw new ArgumentException($"{method.DeclaringType}.{method.Name} has a ref/out parameter '{p.Name}': XML-RPC parameters are passed by value.", nameof(method));
            }
        }

        _parameterTypes = [.. _parameters.Select(p => p.ParameterType)];
        _defaults = [.. _parameters.Select(p => p.HasDefaultValue ? p.DefaultValue : null)];
        _positionalNames = [.. _positional.Select(p => p.Name ?? "arg")];
        _positionalOptional = [.. _positional.Select(p => p.HasDefaultValue)];
        _invoker = MethodInvoker.Create(method);
        var returnType = method.ReturnType;
        _returnKind = returnType == typeof(void) ? ReturnKind.Void
            : returnType == typeof(ValueTask) ? ReturnKind.ValueTask
            : typeof(Task).IsAssignableFrom(returnType) ? ReturnKind.Task
            : returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>) ? ReturnKind.ValueTaskOfT
            : ReturnKind.Value;
        if (_returnKind == ReturnKind.Task && returnType.IsGenericType)
        {
            _taskResult = MethodInvoker.Create(returnType.GetProperty(nameof(Task<int>.Result))!.GetMethod!);
        }
        else if (_returnKind == ReturnKind.ValueTaskOfT)
        {
            _valueTaskAsTask = MethodInvoker.Create(returnType.GetMethod(nameof(ValueTask<int>.AsTask))!);
            var task = typeof(Task<>).MakeGenericType(returnType.GetGenericArguments()[0]);
            _taskResult = MethodInvoker.Create(task.GetProperty(nameof(Task<int>.Result))!.GetMethod!);
        }
    }

    private enum ReturnKind
    {
        Value,
        Void,
        Task,
        ValueTask,
        ValueTaskOfT,
    }

    /// <summary>The <c>system.methodSignature</c> entry: return type, then parameter types.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Signatures
    {
        get
        {
            var signature = new List<string> { TypeNames.Of(UnwrapResultType(_method.ReturnType)) };
            signature.AddRange(_positional.Select(p => TypeNames.Of(p.ParameterType)));
            return [signature];
        }
    }

    /// <summary>The help text from <see cref="XmlRpcHelpAttribute"/> or <see cref="DescriptionAttribute"/>, else <c>""</c>.</summary>
    public string Help =>
        _method.GetCustomAttribute<XmlRpcHelpAttribute>()?.Text
        ?? _method.GetCustomAttribute<DescriptionAttribute>()?.Description
        ?? string.Empty;

    public ValueTask<XmlRpcValue> InvokeAsync(IReadOnlyList<XmlRpcValue> parameters, CancellationToken cancellationToken)
    {
        CheckCount(parameters.Count);
        object? result;
        if (_parameters.Length <= InlineArguments)
        {
            var inline = default(Arguments);
            Span<object?> arguments = inline;
            arguments = arguments[.._parameters.Length];
            Bind(parameters, arguments, cancellationToken);
            result = _invoker.Invoke(_target, arguments);
        }
        else
        {
            var arguments = new object?[_parameters.Length];
            Bind(parameters, arguments, cancellationToken);
            result = _invoker.Invoke(_target, arguments.AsSpan());
        }

        return _returnKind switch
        {
            ReturnKind.Void => new ValueTask<XmlRpcValue>(XmlRpcValue.Nil),
            ReturnKind.Value when result is not Task => new ValueTask<XmlRpcValue>(ToResult(result)),
            _ => AwaitResultAsync(result!),
        };
    }

    private async ValueTask<XmlRpcValue> AwaitResultAsync(object pending)
    {
        object? result = null;
        if (pending is Task task)
        {
            // Also a Task behind a declared object: awaited, its result read only when the declared type says it has one.
            await task.ConfigureAwait(false);
            result = _taskResult?.Invoke(task);
        }
        else if (_returnKind == ReturnKind.ValueTask)
        {
            await ((ValueTask)pending).ConfigureAwait(false);
        }
        else
        {
            var asTask = (Task)_valueTaskAsTask!.Invoke(pending)!;
            await asTask.ConfigureAwait(false);
            result = _taskResult!.Invoke(asTask);
        }

        return ToResult(result);
    }

    /// <summary>The CLR mapping of a result; the common scalars directly, as <see cref="XmlRpcSerializer.ToValue"/> maps them (without its per-call cycle set).</summary>
    private static XmlRpcValue ToResult(object? result) => result switch
    {
        null => XmlRpcValue.Nil,
        XmlRpcValue value => value,
        int i => XmlRpcValue.FromInt32(i),
        string s => XmlRpcValue.FromString(s),
        bool b => XmlRpcValue.FromBoolean(b),
        double d => XmlRpcValue.FromDouble(d),
        _ => XmlRpcSerializer.ToValue(result),
    };

    private void CheckCount(int count) =>
        XmlRpcGeneratedBindings.CheckArgumentCount(_name, count, _positionalNames, _positionalOptional, _variadicIndex >= 0);

    private void Bind(IReadOnlyList<XmlRpcValue> parameters, Span<object?> arguments, CancellationToken cancellationToken)
    {
        var next = 0;
        for (var i = 0; i < arguments.Length; i++)
        {
            if (i == _tokenIndex)
            {
                arguments[i] = cancellationToken;
            }
            else if (i == _variadicIndex)
            {
                var rest = Array.CreateInstance(_variadicElement!, Math.Max(0, parameters.Count - next));
                for (var j = 0; next < parameters.Count; j++, next++)
                {
                    rest.SetValue(Convert(parameters[next], _variadicElement!, next, _parameters[i].Name), j);
                }

                arguments[i] = rest;
            }
            else if (next < parameters.Count)
            {
                arguments[i] = Convert(parameters[next], _parameterTypes[i], next, _parameters[i].Name);
                next++;
            }
            else
            {
                arguments[i] = _defaults[i];
            }
        }
    }

    private object? Convert(XmlRpcValue value, Type type, int position, string? parameterName)
    {
        if (type == typeof(XmlRpcValue))
        {
            return value;
        }

        try
        {
            return XmlRpcSerializer.FromValue(value, type);
        }
        catch (Exception e) when (XmlRpcGeneratedBindings.IsMappingError(e))
        {
            throw XmlRpcGeneratedBindings.InvalidArgument(_name, position, parameterName, e);
        }
    }

    private static Type UnwrapResultType(Type type)
    {
        if (type == typeof(Task) || type == typeof(ValueTask))
        {
            return typeof(void);
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return type.GetGenericArguments()[0];
        }

        return type;
    }

    [System.Runtime.CompilerServices.InlineArray(InlineArguments)]
    private struct Arguments
    {
        private object? _first;
    }
}
