using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XmlRpc.Internal;

namespace XmlRpc.Server;

/// <summary>Registers the XML-RPC server in a service collection.</summary>
public static class XmlRpcServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="XmlRpcDispatcher"/> (a singleton shared by every <c>MapXmlRpc</c> endpoint) over the
    /// methods <paramref name="configureMethods"/> adds; options come from <c>IOptions&lt;XmlRpcServerOptions&gt;</c>
    /// and are validated when the host starts (an invalid setting stops the start with an <see cref="OptionsValidationException"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configureMethods">Adds the methods, with access to the service provider.</param>
    /// <param name="configureOptions">Adjusts the options (optional).</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddXmlRpcServer(
        this IServiceCollection services,
        Action<XmlRpcMethodRegistry, IServiceProvider> configureMethods,
        Action<XmlRpcServerOptions>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configureMethods);
        services.AddOptions<XmlRpcServerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<XmlRpcServerOptions>>(new ProblemsValidator<XmlRpcServerOptions>(o => o.Problems())));
        if (configureOptions is not null)
        {
            services.Configure(configureOptions);
        }

        services.TryAddSingleton(provider =>
        {
            var methods = new XmlRpcMethodRegistry();
            configureMethods(methods, provider);
            return new XmlRpcDispatcher(
                methods,
                provider.GetRequiredService<IOptions<XmlRpcServerOptions>>().Value,
                provider.GetService<ILoggerFactory>()?.CreateLogger<XmlRpcDispatcher>());
        });
        return services;
    }

    /// <summary>Registers one <see cref="XmlRpcDispatcher"/> over the methods <paramref name="configureMethods"/> adds.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configureMethods">Adds the methods.</param>
    /// <param name="configureOptions">Adjusts the options (optional).</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddXmlRpcServer(
        this IServiceCollection services,
        Action<XmlRpcMethodRegistry> configureMethods,
        Action<XmlRpcServerOptions>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configureMethods);
        return services.AddXmlRpcServer((methods, _) => configureMethods(methods), configureOptions);
    }
}
