namespace Kait.Sdk.Config;

/// <summary>A finding about a config file, with its stable KAIT id and its place.</summary>
/// <param name="Id">The stable id (<c>KAIT001</c> ...).</param>
/// <param name="Severity">Its severity.</param>
/// <param name="Message">The full message; never holds a secret value.</param>
/// <param name="Location">Where it is; <see cref="SourceSpan.Line"/> is 0 when there is no file.</param>
internal sealed record ConfigDiagnostic(string Id, ConfigSeverity Severity, string Message, SourceSpan Location)
{
    /// <summary>"file(line,col): error KAIT001: message", the form compilers print.</summary>
    public override string ToString()
    {
        var severity = Severity == ConfigSeverity.Error ? "error" : Severity == ConfigSeverity.Warning ? "warning" : "info";
        var where = Location.Line > 0 ? Location + ": " : Location.File.Length > 0 ? Location.File + ": " : string.Empty;
        where = UnsafeText.Visible(where); // a file name is text from disk too
        return where + severity + " " + Id + ": " + Message;
    }
}
