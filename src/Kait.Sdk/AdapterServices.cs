namespace Kait.Sdk;

/// <summary>What the Microsoft.Extensions.AI adapters answer from <c>GetService</c>: their metadata, the gateway behind
/// them, or themselves; nothing for a keyed request.</summary>
internal static class AdapterServices
{
    public static object? Get(Type serviceType, object? serviceKey, object metadata, object gateway, object adapter)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == metadata.GetType())
        {
            return metadata;
        }

        if (serviceType.IsInstanceOfType(gateway))
        {
            return gateway;
        }

        return serviceType.IsInstanceOfType(adapter) ? adapter : null;
    }
}
