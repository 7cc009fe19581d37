using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XmlRpc.Server.Internal;

namespace XmlRpc.Server;

/// <summary>Maps XML-RPC endpoints into an ASP.NET Core application.</summary>
public static class XmlRpcEndpointRouteBuilderExtensions
{
    /// <summary>Serves the <see cref="XmlRpcDispatcher"/> registered with <c>AddXmlRpcServer</c> at <paramref name="pattern"/>.</summary>
    /// <param name="endpoints">The application's route builder.</param>
    /// <param name="pattern">The route, e.g. <c>/RPC2</c>.</param>
    /// <returns>The endpoint's convention builder (for authorization, rate limiting and the like).</returns>
    /// <remarks>Every HTTP method is routed here so that non-POST requests get CPython's 501, not a 405 from routing.</remarks>
    public static IEndpointConventionBuilder MapXmlRpc(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var dispatcher = endpoints.ServiceProvider.GetService<XmlRpcDispatcher>()
            ?? throw new InvalidOperationException("No XmlRpcDispatcher is registered: call services.AddXmlRpcServer(...) first, or pass a dispatcher.");
        return endpoints.MapXmlRpc(pattern, dispatcher);
    }

    /// <summary>Serves <paramref name="dispatcher"/> at <paramref name="pattern"/> (the same dispatcher may serve several endpoints and an <see cref="XmlRpcServer"/>).</summary>
    /// <param name="endpoints">The application's route builder.</param>
    /// <param name="pattern">The route, e.g. <c>/RPC2</c>.</param>
    /// <param name="dispatcher">The dispatcher answering the calls.</param>
    /// <returns>The endpoint's convention builder.</returns>
    public static IEndpointConventionBuilder MapXmlRpc(this IEndpointRouteBuilder endpoints, string pattern, XmlRpcDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(dispatcher);
        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger<XmlRpcServer>() ?? NullLogger<XmlRpcServer>.Instance;
        RequestDelegate handler = context => HttpPipeline.HandleAsync(context, dispatcher, dispatcher.Options, logger);
        return endpoints.Map(pattern, handler).WithDisplayName("XML-RPC " + pattern);
    }
}
