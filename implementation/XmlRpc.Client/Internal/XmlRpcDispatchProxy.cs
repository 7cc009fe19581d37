using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace XmlRpc.Client.Internal;

/// <summary>The <see cref="DispatchProxy"/> behind <see cref="XmlRpcClient.CreateProxy{T}"/>: each interface method is one XML-RPC call.</summary>
[RequiresDynamicCode("DispatchProxy generates a type at run time.")]
[RequiresUnreferencedCode("Parameters and results are mapped to and from CLR types by reflection.")]
internal class XmlRpcDispatchProxy : DispatchProxy
{
    private static readonly ConcurrentDictionary<MethodInfo, ProxyMethod> Methods = new();
    private static readonly MethodInfo InvokeTypedMethod = typeof(XmlRpcDispatchProxy).GetMethod(nameof(InvokeTypedAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo InvokeValueTaskMethod = typeof(XmlRpcDispatchProxy).GetMethod(nameof(InvokeValueTaskAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private XmlRpcClient? _client;

    internal void Attach(XmlRpcClient client) => _client = client;

    /// <summary>Turns one interface call into one XML-RPC call.</summary>
    /// <param name="targetMethod">The interface method.</param>
    /// <param name="args">Its arguments.</param>
    /// <returns>The <see cref="Task"/>, <see cref="Task{TResult}"/> or <see cref="ValueTask{TResult}"/> of the call.</returns>
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var client = _client ?? throw new InvalidOperationException("The proxy is not attached to a client.");
        var method = Methods.GetOrAdd(targetMethod, ProxyMethod.Create);
        args ??= [];
        var cancellationToken = CancellationToken.None;
        var callArgs = new List<object?>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (i == method.CancellationTokenIndex)
            {
                cancellationToken = (CancellationToken)args[i]!;
            }
            else
            {
                callArgs.Add(args[i]);
            }
        }

        return method.Invoker(client, method.Name, [.. callArgs], cancellationToken);
    }

    private static Task<T> InvokeTypedAsync<T>(XmlRpcClient client, string name, object?[] args, CancellationToken cancellationToken) =>
        client.InvokeAsync<T>(name, args, cancellationToken);

    private static ValueTask<T> InvokeValueTaskAsync<T>(XmlRpcClient client, string name, object?[] args, CancellationToken cancellationToken) =>
        new(client.InvokeAsync<T>(name, args, cancellationToken));

    [RequiresDynamicCode("DispatchProxy generates a type at run time.")]
    [RequiresUnreferencedCode("Parameters and results are mapped to and from CLR types by reflection.")]
    private sealed record ProxyMethod(string Name, int CancellationTokenIndex, Func<XmlRpcClient, string, object?[], CancellationToken, object> Invoker)
    {
        // Reached only through XmlRpcClient.CreateProxy, which carries both requirements to the caller.
        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "CreateProxy<T> is RequiresUnreferencedCode.")]
        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "CreateProxy<T> is RequiresDynamicCode.")]
        public static ProxyMethod Create(MethodInfo method)
        {
            var name = method.GetCustomAttribute<XmlRpcMethodAttribute>()?.Name ?? method.Name;
            var parameters = method.GetParameters();
            var tokenIndex = Array.FindIndex(parameters, p => p.ParameterType == typeof(CancellationToken));
            var returnType = method.ReturnType;
            Func<XmlRpcClient, string, object?[], CancellationToken, object> invoker;
            if (returnType == typeof(Task))
            {
                invoker = (client, n, a, ct) => client.InvokeAsync(n, a, ct);
            }
            else if (returnType == typeof(ValueTask))
            {
                invoker = (client, n, a, ct) => new ValueTask(client.InvokeAsync(n, a, ct));
            }
            else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
            {
                invoker = Bind(InvokeTypedMethod, returnType.GetGenericArguments()[0]);
            }
            else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
            {
                invoker = Bind(InvokeValueTaskMethod, returnType.GetGenericArguments()[0]);
            }
            else
            {
                throw new NotSupportedException(
                    $"{method.DeclaringType}.{method.Name} returns {returnType}: XML-RPC proxy methods return Task, Task<T>, ValueTask or ValueTask<T>.");
            }

            return new ProxyMethod(name, tokenIndex, invoker);
        }

        [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "The generic methods only forward to XmlRpcClient.InvokeAsync<T>; CreateProxy<T> is RequiresUnreferencedCode.")]
        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "CreateProxy<T> is RequiresDynamicCode.")]
        private static Func<XmlRpcClient, string, object?[], CancellationToken, object> Bind(MethodInfo open, Type resultType)
        {
            var closed = open.MakeGenericMethod(resultType);
            return (client, name, args, cancellationToken) => closed.Invoke(null, [client, name, args, cancellationToken])!;
        }
    }
}
