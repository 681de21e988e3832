using Kait.Sdk.Config;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Kait.Sdk.Generators;

/// <summary>A diagnostic as plain values (a Roslyn <see cref="Location"/> is not equatable across runs).</summary>
internal sealed record DiagnosticInfo(string Id, ConfigSeverity Severity, string Message, string? File, int Start, int Length, int Line, int Column, int EndLine, int EndColumn)
{
    public Diagnostic ToDiagnostic()
    {
        var location = File is null || Line <= 0
            ? Location.None
            : Location.Create(File, new TextSpan(Start, Length), new LinePositionSpan(new LinePosition(Line - 1, Column - 1), new LinePosition(EndLine - 1, EndColumn - 1)));
        return Diagnostic.Create(DiagnosticDescriptors.For(Id), location, Message);
    }
}
