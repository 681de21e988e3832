using Microsoft.Extensions.AI;

namespace Kait.Sdk;

/// <summary>Turns the gateway into an <see cref="IChatClient"/>.</summary>
public static class KaitChatClientExtensions
{
    /// <summary>An <see cref="IChatClient"/> calling <paramref name="modelAlias"/> (<c>gateway.AsChatClient(Models.ClaudeFast)</c>).</summary>
    /// <param name="gateway">The gateway.</param>
    /// <param name="modelAlias">The alias.</param>
    public static IChatClient AsChatClient(this ILlmGateway gateway, ModelAlias modelAlias) => new KaitChatClient(gateway, modelAlias);

    /// <summary>An <see cref="IChatClient"/> calling the alias named <paramref name="aliasName"/> (checked now).</summary>
    /// <param name="gateway">The gateway.</param>
    /// <param name="aliasName">The alias name.</param>
    public static IChatClient AsChatClient(this ILlmGateway gateway, [ModelAliasName] string aliasName)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return new KaitChatClient(gateway, gateway.Catalog.Resolve(aliasName));
    }
}
