namespace Kait.Sdk;

/// <summary>
/// Where Kait reads environment variables: a lookup (the process environment by default) with a <c>.env</c> file of the
/// working directory beneath it (the lookup wins). Pass your own lookup in tests instead of changing the process
/// environment, so tests can run in parallel.
/// </summary>
public sealed class KaitEnvironment
{
    private const long MaxDotEnvBytes = 1024 * 1024;

    private readonly Func<string, string?> lookup;
    private readonly Dictionary<string, string> dotEnv;

    /// <summary>Creates an environment over <paramref name="lookup"/> and the <c>.env</c> file of
    /// <paramref name="workingDirectory"/> (if there is one).</summary>
    /// <param name="lookup">Reads a variable; null or empty means unset.</param>
    /// <param name="workingDirectory">Where <c>.env</c> and <c>config/litellm_config.yaml</c> are looked for.</param>
    /// <exception cref="KaitConfigurationException">The <c>.env</c> file cannot be parsed (the message names it and the
    /// line, never its content) or is over 1 MB.</exception>
    public KaitEnvironment(Func<string, string?> lookup, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentException.ThrowIfNullOrWhiteSpace(workingDirectory);
        this.lookup = lookup;
        WorkingDirectory = Path.GetFullPath(workingDirectory);
        DotEnvFile = Path.Combine(WorkingDirectory, ".env");
        dotEnv = ReadDotEnv(DotEnvFile);
    }

    /// <summary>The working directory.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The <c>.env</c> file looked for (it may not exist).</summary>
    public string DotEnvFile { get; }

    /// <summary>The process environment and the <c>.env</c> of the current directory.</summary>
    public static KaitEnvironment FromProcess() => new(Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());

    /// <summary>An environment of the given variables only (and the <c>.env</c> of <paramref name="workingDirectory"/>).</summary>
    /// <param name="variables">The variables.</param>
    /// <param name="workingDirectory">The working directory; null for the current one.</param>
    public static KaitEnvironment FromDictionary(IReadOnlyDictionary<string, string?> variables, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var copy = new Dictionary<string, string?>(variables, StringComparer.Ordinal);
        return new KaitEnvironment(name => copy.GetValueOrDefault(name), workingDirectory ?? Directory.GetCurrentDirectory());
    }

    /// <summary>The user's home directory as the lookup has it (<c>HOME</c>, or <c>USERPROFILE</c> on Windows), never
    /// from <c>.env</c>; null when unset.</summary>
    internal string? UserHome => lookup(OperatingSystem.IsWindows() ? "USERPROFILE" : "HOME") is { Length: > 0 } home ? home : null;

    /// <summary>The variable's value: the lookup's, else the <c>.env</c> file's; null when unset or empty.</summary>
    /// <param name="name">The variable.</param>
    public string? Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var value = lookup(name);
        if (string.IsNullOrEmpty(value))
        {
            dotEnv.TryGetValue(name, out value);
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static Dictionary<string, string> ReadDotEnv(string file)
    {
        if (!File.Exists(file))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        if (new FileInfo(file).Length > MaxDotEnvBytes)
        {
            throw new KaitConfigurationException($"{file} is larger than {MaxDotEnvBytes / 1024} KB: not a .env file of settings.") { Variable = ".env" };
        }

        // Parsed only: the process environment is never written.
        IEnumerable<KeyValuePair<string, string>> pairs;
        try
        {
            pairs = DotNetEnv.Env.NoEnvVars().Load(file);
        }
        catch (Sprache.ParseException ex)
        {
            // The parser's message quotes what it read last, which may be part of a key: only its position is kept.
            var at = System.Text.RegularExpressions.Regex.Match(ex.Message, @"Line \d+, Column \d+", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            throw new KaitConfigurationException($"{file} cannot be read{(at.Success ? " (" + at.Value + ")" : string.Empty)}: expected NAME=value lines (quote a value that has spaces or quotes).")
            {
                Variable = ".env",
            };
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            result[pair.Key] = pair.Value;
        }

        return result;
    }
}
