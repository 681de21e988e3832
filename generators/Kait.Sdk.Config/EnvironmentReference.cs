namespace Kait.Sdk.Config;

/// <summary>An <c>os.environ/NAME</c> reference in the config.</summary>
/// <param name="Variable">The variable's name.</param>
/// <param name="Path">Where it stands, as a dotted path (<c>model_list[0].litellm_params.api_key</c>).</param>
/// <param name="Location">Its place in the file.</param>
internal sealed record EnvironmentReference(string Variable, string Path, SourceSpan Location)
{
    /// <summary>The prefix LiteLLM resolves from the environment.</summary>
    public const string Prefix = "os.environ/";

    /// <summary>Reads <c>os.environ/NAME</c>; false for anything else.</summary>
    public static bool TryParse(string? value, out string variable)
    {
        variable = string.Empty;
        if (value is null || !value.StartsWith(Prefix, System.StringComparison.Ordinal) || value.Length == Prefix.Length)
        {
            return false;
        }

        variable = value.Substring(Prefix.Length).Trim();
        return variable.Length > 0;
    }
}
