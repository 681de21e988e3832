using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Kait.Sdk;

/// <summary>
/// Reads <see cref="KaitOptions"/>, the one reader of Kait's settings: the <c>Kait</c> configuration section, then the
/// <c>KAIT_*</c> variables of a <see cref="KaitEnvironment"/> (the real environment, then its <c>.env</c> file). Both
/// go through the same parsers: a boolean is <c>true/false</c>, <c>1/0</c>, <c>yes/no</c> or <c>on/off</c>; a duration
/// is a number of seconds (<c>30</c>, <c>2.5</c>) or <c>hh:mm:ss</c>. A value that cannot be read, is out of range, or a
/// key under <c>Kait</c> that is no setting, is a <see cref="KaitConfigurationException"/> naming the variable or key.
/// </summary>
internal static class KaitOptionsLoader
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static readonly Setting[] Settings =
    [
        new(KaitEnvironmentVariables.LiteLlmEnabled, "Proxy:Enabled", static (o, v, n) => o.Proxy.Enabled = ParseBool(n, v)),
        new(KaitEnvironmentVariables.LiteLlmPort, "Proxy:Port", static (o, v, n) => o.Proxy.Port = (int)ParseInt(n, v, 1, 65535, "a port number (1-65535)")),
        new(KaitEnvironmentVariables.LiteLlmUrl, "Proxy:Url", static (o, v, n) => o.Proxy.Url = ParseUrl(n, v)),
        new(KaitEnvironmentVariables.LiteLlmMasterKey, "Proxy:MasterKey", static (o, v, _) => o.Proxy.MasterKey = v),
        new(KaitEnvironmentVariables.LiteLlmFallback, "Proxy:Fallback", static (o, v, n) => o.Proxy.Fallback = ParseBool(n, v)),
        new(null, "Proxy:ConnectTimeout", static (o, v, n) => o.Proxy.ConnectTimeout = ParseDuration(n, v, zero: false, TimeSpan.FromMinutes(10))),
        new(KaitEnvironmentVariables.ClaudeModel, "ClaudeModel", static (o, v, _) => o.ClaudeModel = v),
        new(KaitEnvironmentVariables.OpenAIModel, "OpenAIModel", static (o, v, _) => o.OpenAIModel = v),
        new(KaitEnvironmentVariables.Home, "Home", static (o, v, n) => o.Home = ParsePath(n, v)),
        new(KaitEnvironmentVariables.Config, "ConfigFile", static (o, v, n) => o.ConfigFile = ParsePath(n, v)),
        new(null, "AnthropicDefaultMaxTokens", static (o, v, n) => o.AnthropicDefaultMaxTokens = (int)ParseInt(n, v, 1, 1_000_000, "a whole number from 1 to 1000000")),
        new(KaitEnvironmentVariables.AnthropicVersion, "AnthropicVersion", static (o, v, n) => o.AnthropicVersion = ParseApiVersion(n, v)),
        new(KaitEnvironmentVariables.Retries, "Resilience:Retries", static (o, v, n) => o.Resilience.Retries = (int)ParseInt(n, v, 0, 10, "a whole number from 0 to 10")),
        new(KaitEnvironmentVariables.Timeout, "Resilience:RequestTimeout", static (o, v, n) => o.Resilience.RequestTimeout = ParseDuration(n, v, zero: false, Day)),
        new(KaitEnvironmentVariables.AttemptTimeout, "Resilience:AttemptTimeout", static (o, v, n) => o.Resilience.AttemptTimeout = ParseDuration(n, v, zero: false, Day)),
        new(null, "Resilience:RetryBaseDelay", static (o, v, n) => o.Resilience.RetryBaseDelay = ParseDuration(n, v, zero: true, TimeSpan.FromMinutes(10))),
        new(null, "Resilience:CircuitBreakerFailures", static (o, v, n) => o.Resilience.CircuitBreakerFailures = (int)ParseInt(n, v, 0, 1000, "a whole number from 0 to 1000 (below 2: no breaker)")),
        new(null, "Resilience:CircuitBreakerSamplingDuration", static (o, v, n) => o.Resilience.CircuitBreakerSamplingDuration = ParseDuration(n, v, zero: false, Day, TimeSpan.FromMilliseconds(500))),
        new(null, "Resilience:CircuitBreakDuration", static (o, v, n) => o.Resilience.CircuitBreakDuration = ParseDuration(n, v, zero: false, Day, TimeSpan.FromMilliseconds(500))),
        new(null, "Resilience:MaxResponseBytes", static (o, v, n) => o.Resilience.MaxResponseBytes = ParseInt(n, v, 1024, 1L << 34, "a number of bytes from 1024 to 17179869184")),
        new(null, "Resilience:MaxEventBytes", static (o, v, n) => o.Resilience.MaxEventBytes = (int)ParseInt(n, v, 1024, 1L << 30, "a number of bytes from 1024 to 1073741824")),
        new(null, "Resilience:StreamIdleTimeout", static (o, v, n) => o.Resilience.StreamIdleTimeout = ParseDuration(n, v, zero: false, Day, TimeSpan.FromMilliseconds(100))),
        new(KaitEnvironmentVariables.CacheTtl, "Cache:Ttl", static (o, v, n) => o.Cache.Ttl = ParseDuration(n, v, zero: true, TimeSpan.FromDays(365))),
        new(KaitEnvironmentVariables.CacheL2, "Cache:L2", static (o, v, n) => o.Cache.L2 = ParseBool(n, v)),
        new(KaitEnvironmentVariables.RedisUrl, "Cache:RedisUrl", static (o, v, _) => o.Cache.RedisUrl = v),
        new(KaitEnvironmentVariables.PriceMap, "Costs:PriceMapPath", static (o, v, n) => o.Costs.PriceMapPath = ParsePath(n, v)),
        new(KaitEnvironmentVariables.BudgetDailyUsd, "Costs:DailyBudgetUsd", static (o, v, n) => o.Costs.DailyBudgetUsd = ParseUsd(n, v)),
        new(KaitEnvironmentVariables.BudgetMonthlyUsd, "Costs:MonthlyBudgetUsd", static (o, v, n) => o.Costs.MonthlyBudgetUsd = ParseUsd(n, v)),
        new(null, "Costs:FlushInterval", static (o, v, n) => o.Costs.FlushInterval = ParseDuration(n, v, zero: false, TimeSpan.FromMinutes(10))),
        new(null, "Costs:QueueCapacity", static (o, v, n) => o.Costs.QueueCapacity = (int)ParseInt(n, v, 1, 10_000_000, "a whole number from 1 to 10000000")),
        new(null, "Costs:MaxBatchSize", static (o, v, n) => o.Costs.MaxBatchSize = (int)ParseInt(n, v, 1, 100_000, "a whole number from 1 to 100000")),
        new(null, "Costs:RetryAfterPossibleBilling", static (o, v, n) => o.Costs.RetryAfterPossibleBilling = ParseBool(n, v)),
        new(null, "Costs:BusyTimeoutSeconds", static (o, v, n) => o.Costs.BusyTimeoutSeconds = (int)ParseInt(n, v, 1, 3600, "a whole number of seconds from 1 to 3600")),
        new(KaitEnvironmentVariables.Python, "Supervisor:Python", static (o, v, n) => o.Supervisor.Python = ParsePath(n, v)),
        new(null, "Supervisor:ReadinessTimeout", static (o, v, n) => o.Supervisor.ReadinessTimeout = ParseDuration(n, v, zero: false, Day)),
        new(null, "Supervisor:StopGracePeriod", static (o, v, n) => o.Supervisor.StopGracePeriod = ParseDuration(n, v, zero: false, TimeSpan.FromHours(1))),
        new(null, "Supervisor:MaxRestartsInWindow", static (o, v, n) => o.Supervisor.MaxRestartsInWindow = (int)ParseInt(n, v, 0, 1000, "a whole number from 0 to 1000")),
        new(null, "Supervisor:RestartWindow", static (o, v, n) => o.Supervisor.RestartWindow = ParseDuration(n, v, zero: false, Day)),
        new(null, "Supervisor:LogMaxBytes", static (o, v, n) => o.Supervisor.LogMaxBytes = ParseInt(n, v, 1024, 1L << 40, "a number of bytes from 1024 to 1099511627776")),
        new(null, "Supervisor:LogBackupCount", static (o, v, n) => o.Supervisor.LogBackupCount = (int)ParseInt(n, v, 0, 100, "a whole number from 0 to 100")),
    ];

    private delegate void Apply(KaitOptions options, string value, string name);

    /// <summary>Options from <paramref name="configuration"/>'s <c>Kait</c> section (if any), overridden by the
    /// variables of <paramref name="environment"/> (its real environment, then its <c>.env</c>).</summary>
    /// <param name="configuration">The configuration root, or null.</param>
    /// <param name="environment">The environment.</param>
    /// <exception cref="KaitConfigurationException">A value cannot be read or is out of range, or a key under
    /// <c>Kait</c> is no setting; the message names the variable or key.</exception>
    public static KaitOptions Load(IConfiguration? configuration, KaitEnvironment environment)
    {
        var options = new KaitOptions();
        Populate(options, configuration, environment);
        return options;
    }

    /// <summary>Sets <paramref name="options"/> from the configuration section, then the environment.</summary>
    internal static void Populate(KaitOptions options, IConfiguration? configuration, KaitEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (configuration is not null)
        {
            foreach (var (key, value) in configuration.GetSection(KaitOptions.SectionName).AsEnumerable(makePathsRelative: true))
            {
                // Section nodes have no value; an empty value means unset, as an empty variable does.
                if (string.IsNullOrWhiteSpace(value))
                {
                    continue;
                }

                var setting = Find(key);
                setting.Apply(options, value, KaitOptions.SectionName + ":" + setting.Key);
            }
        }

        foreach (var setting in Settings)
        {
            if (setting.Variable is not null && environment.Get(setting.Variable) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                setting.Apply(options, value, setting.Variable);
            }
        }
    }

    /// <summary>Reads a boolean: <c>true/false</c>, <c>1/0</c>, <c>yes/no</c>, <c>on/off</c> (any case).</summary>
    internal static bool ParseBool(string name, string value) => value.Trim().ToUpperInvariant() switch
    {
        "TRUE" or "1" or "YES" or "ON" => true,
        "FALSE" or "0" or "NO" or "OFF" => false,
        _ => throw Invalid(name, value, "true or false (or 1/0, yes/no, on/off)"),
    };

    /// <summary>Reads a duration: a number of seconds (<c>30</c>, <c>2.5</c>) or <c>[d.]hh:mm:ss[.fff]</c>, within
    /// (0 or above 0) and <paramref name="max"/>.</summary>
    internal static TimeSpan ParseDuration(string name, string value, bool zero, TimeSpan max, TimeSpan? min = null)
    {
        var text = value.Trim();
        TimeSpan duration;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            duration = double.IsFinite(seconds) && Math.Abs(seconds) <= max.TotalSeconds * 2 ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
        }
        else if (!TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out duration))
        {
            throw Invalid(name, value, "a number of seconds (such as 30 or 2.5) or hh:mm:ss");
        }

        var least = min ?? (zero ? TimeSpan.Zero : TimeSpan.FromTicks(1));
        if (duration < least || duration > max || (!zero && duration <= TimeSpan.Zero))
        {
            var from = min is { } m ? Describe(m) : zero ? "0" : "more than 0";
            throw Invalid(name, value, $"a duration from {from} to {Describe(max)}{(zero ? " (0 turns it off)" : string.Empty)}");
        }

        return duration;
    }

    private static Setting Find(string key)
    {
        foreach (var setting in Settings)
        {
            if (string.Equals(setting.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return setting;
            }
        }

        // A key that is no setting (a typo, or a key of the older flat shape such as Kait:LiteLlmEnabled) would
        // otherwise be ignored without a word.
        var name = KaitOptions.SectionName + ":" + key;
        var near = Settings.FirstOrDefault(s => IsNear(s.Key, key));
        var hint = near is null ? string.Empty : $" Did you mean '{KaitOptions.SectionName}:{near.Key}'?";
        throw new KaitConfigurationException($"'{Echo(name)}' is not a Kait setting.{hint} See docs/configuration.md for the keys.")
        {
            Variable = name,
        };
    }

    // Kait:Retries for Kait:Resilience:Retries, Kait:CacheTtl for Kait:Cache:Ttl, Kait:LiteLlmPort for Kait:Proxy:Port.
    private static bool IsNear(string settingKey, string key)
    {
        var colon = settingKey.LastIndexOf(':');
        var leaf = settingKey[(colon + 1)..];
        var last = key[(key.LastIndexOf(':') + 1)..];
        if (string.Equals(leaf, last, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var section = colon < 0 ? string.Empty : settingKey[..colon];
        return section.Length > 0 && (string.Equals(section + leaf, last, StringComparison.OrdinalIgnoreCase)
            || (section == "Proxy" && string.Equals("LiteLlm" + leaf, last, StringComparison.OrdinalIgnoreCase)));
    }

    private static long ParseInt(string name, string value, long min, long max, string expected) =>
        long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw Invalid(name, value, expected);

    // Credentials in the URL would be logged with it (the fallback warning names the proxy's URL): refused.
    private static string ParseUrl(string name, string value)
    {
        var text = value.Trim();
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.UserInfo)
            ? text
            : throw new KaitConfigurationException($"{name} is not valid: expected an absolute http(s) URL without credentials.") { Variable = name }; // not echoed: it may hold a password
    }

    // A version is a date (YYYY-MM-DD) and goes out as a header: nothing else is let through.
    private static string ParseApiVersion(string name, string value)
    {
        var text = value.Trim();
        return text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? text
            : throw Invalid(name, value, "an API version date such as 2026-10-21 or 2023-06-01");
    }

    private static decimal ParseUsd(string name, string value) =>
        decimal.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0m
            ? amount
            : throw Invalid(name, value, "an amount of USD (a non-negative number such as 5 or 12.50)");

    private static string ParsePath(string name, string value)
    {
        var text = value.Trim();

        // '~user/…' is a shell's expansion, not Kait's: taken literally it would make a folder named '~user' here.
        if (text.Contains('\0', StringComparison.Ordinal) || (text.StartsWith('~') && text != "~" && text[1] != '/' && text[1] != '\\'))
        {
            throw Invalid(name, value, "a path (absolute, relative to the working directory, or starting with ~/)");
        }

        return text;
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? FormattableString.Invariant($"{span.TotalDays:0} day(s)")
        : span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? FormattableString.Invariant($"{span.TotalHours:0} hour(s)")
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? FormattableString.Invariant($"{span.TotalMinutes:0} minute(s)")
        : FormattableString.Invariant($"{span.TotalSeconds:0.###} s");

    // Values are echoed (bounded, control characters replaced): the settings that hold a secret (the master key, the
    // Redis connection string) are never parsed, so never echoed.
    private static KaitConfigurationException Invalid(string name, string value, string expected) =>
        new($"{name}='{Echo(value)}' is not valid: expected {expected}.") { Variable = name };

    private static string Echo(string value)
    {
        const int Max = 64;
        var builder = new StringBuilder(Math.Min(value.Length, Max + 1));
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, Max)))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return value.Length > Max ? builder.Append('…').ToString() : builder.ToString();
    }

    private sealed record Setting(string? Variable, string Key, Apply Apply);
}
