using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Kait.Sdk;

/// <summary>Builds <see cref="KaitOptions"/>: the <c>Kait</c> configuration section, then the <c>KAIT_*</c> variables.</summary>
public static class KaitOptionsLoader
{
    /// <summary>Options from <paramref name="configuration"/>'s <c>Kait</c> section (if any) overridden by
    /// <paramref name="environment"/>.</summary>
    /// <param name="configuration">The configuration root, or null.</param>
    /// <param name="environment">The environment.</param>
    public static KaitOptions Load(IConfiguration? configuration, KaitEnvironment environment)
    {
        var options = new KaitOptions();
        configuration?.GetSection(KaitOptions.SectionName).Bind(options);
        ApplyEnvironment(options, environment);
        return options;
    }

    /// <summary>Overrides <paramref name="options"/> with the <c>KAIT_*</c> variables that are set.</summary>
    /// <param name="options">The options to change.</param>
    /// <param name="environment">The environment.</param>
    /// <exception cref="KaitConfigurationException">A variable has a value of the wrong kind.</exception>
    public static void ApplyEnvironment(KaitOptions options, KaitEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.Get(KaitEnvironmentVariables.LiteLlmEnabled) is { } enabled)
        {
            options.LiteLlmEnabled = ParseBool(KaitEnvironmentVariables.LiteLlmEnabled, enabled);
        }

        if (environment.Get(KaitEnvironmentVariables.LiteLlmPort) is { } port)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
            {
                throw Invalid(KaitEnvironmentVariables.LiteLlmPort, port, "a port number (1-65535)");
            }

            options.LiteLlmPort = value;
        }

        if (environment.Get(KaitEnvironmentVariables.LiteLlmUrl) is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw Invalid(KaitEnvironmentVariables.LiteLlmUrl, url, "an absolute http(s) URL");
            }

            options.LiteLlmUrl = url;
        }

        options.LiteLlmMasterKey = environment.Get(KaitEnvironmentVariables.LiteLlmMasterKey) ?? options.LiteLlmMasterKey;
        if (environment.Get(KaitEnvironmentVariables.LiteLlmFallback) is { } fallback)
        {
            options.LiteLlmFallback = ParseBool(KaitEnvironmentVariables.LiteLlmFallback, fallback);
        }

        options.ClaudeModel = environment.Get(KaitEnvironmentVariables.ClaudeModel) ?? options.ClaudeModel;
        options.OpenAIModel = environment.Get(KaitEnvironmentVariables.OpenAIModel) ?? options.OpenAIModel;
        options.Home = environment.Get(KaitEnvironmentVariables.Home) ?? options.Home;
        options.ConfigFile = environment.Get(KaitEnvironmentVariables.Config) ?? options.ConfigFile;
        if (environment.Get(KaitEnvironmentVariables.Retries) is { } retries)
        {
            if (!int.TryParse(retries, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 10)
            {
                throw Invalid(KaitEnvironmentVariables.Retries, retries, "a whole number from 0 to 10");
            }

            options.Retries = value;
        }

        options.RequestTimeout = Seconds(environment, KaitEnvironmentVariables.Timeout, positive: true) ?? options.RequestTimeout;
        options.AttemptTimeout = Seconds(environment, KaitEnvironmentVariables.AttemptTimeout, positive: true) ?? options.AttemptTimeout;
        options.CacheTtl = Seconds(environment, KaitEnvironmentVariables.CacheTtl, positive: false) ?? options.CacheTtl;
        if (environment.Get(KaitEnvironmentVariables.CacheL2) is { } l2)
        {
            options.CacheL2 = ParseBool(KaitEnvironmentVariables.CacheL2, l2);
        }

        // Not echoed if invalid: a Redis connection string may hold a password.
        options.RedisUrl = environment.Get(KaitEnvironmentVariables.RedisUrl) ?? options.RedisUrl;
    }

    private static TimeSpan? Seconds(KaitEnvironment environment, string variable, bool positive)
    {
        if (environment.Get(variable) is not { } text)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || (positive && seconds == 0)
            || double.IsInfinity(seconds) || seconds > int.MaxValue)
        {
            throw Invalid(variable, text, positive ? "a number of seconds above 0" : "a number of seconds (0 or more)");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static bool ParseBool(string variable, string value)
    {
        switch (value.Trim().ToUpperInvariant())
        {
            case "TRUE" or "1" or "YES" or "ON":
                return true;
            case "FALSE" or "0" or "NO" or "OFF":
                return false;
            default:
                throw Invalid(variable, value, "true or false");
        }
    }

    // Values are echoed: none of these variables holds a secret (the master key is never parsed).
    private static KaitConfigurationException Invalid(string variable, string value, string expected) =>
        new($"{variable}='{value}' is not valid: expected {expected}.") { Variable = variable };
}
