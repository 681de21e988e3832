namespace Kait.Sdk;

/// <summary>
/// Marks a string parameter, property or field that holds a model alias. Every Kait API that takes an alias string
/// carries it; put it on your own members too. Kait's analyzer checks constant strings that flow into such a member
/// against the config at build time.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = true)]
public sealed class ModelAliasNameAttribute : Attribute
{
}
