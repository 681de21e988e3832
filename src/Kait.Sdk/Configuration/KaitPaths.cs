namespace Kait.Sdk;

/// <summary>The root of every file Kait keeps (<c>KAIT_HOME</c>, default <c>~/.kait</c>) and the paths beneath it.</summary>
public sealed class KaitPaths
{
    /// <summary>Creates the paths under <paramref name="home"/>; a leading <c>~</c> is the user's home.</summary>
    /// <param name="home">The root.</param>
    public KaitPaths(string home)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(home);
        Home = Path.GetFullPath(ExpandHome(home));
    }

    /// <summary>The root (absolute).</summary>
    public string Home { get; }

    /// <summary>The fallback run-time config: <c>$KAIT_HOME/litellm_config.yaml</c>.</summary>
    public string ConfigFile => Path.Combine(Home, "litellm_config.yaml");

    /// <summary>The paths for <paramref name="options"/> (<see cref="KaitOptions.Home"/>, else <c>~/.kait</c>).</summary>
    /// <param name="options">The options.</param>
    public static KaitPaths From(KaitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new KaitPaths(string.IsNullOrWhiteSpace(options.Home) ? "~/.kait" : options.Home);
    }

    /// <summary>A path under the root (<c>Combine("llm_costs.db")</c>).</summary>
    /// <param name="relative">The relative path.</param>
    public string Combine(string relative)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relative);
        return Path.Combine(Home, relative);
    }

    private static string ExpandHome(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            var user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return path.Length == 1 ? user : Path.Combine(user, path[2..]);
        }

        return path;
    }
}
