using System;

namespace Kait.Sdk.Config;

/// <summary>A place in a config file: 1-based line and column, and the 0-based character range.</summary>
internal readonly struct SourceSpan : IEquatable<SourceSpan>
{
    /// <summary>Creates a span.</summary>
    public SourceSpan(string file, int line, int column, int start, int length)
    {
        File = file ?? string.Empty;
        Line = line;
        Column = column;
        Start = start;
        Length = length < 0 ? 0 : length;
    }

    /// <summary>The file's path as the caller named it.</summary>
    public string File { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>0-based character offset of the start.</summary>
    public int Start { get; }

    /// <summary>Length in characters.</summary>
    public int Length { get; }

    /// <inheritdoc />
    public bool Equals(SourceSpan other) =>
        string.Equals(File, other.File, StringComparison.Ordinal) && Line == other.Line && Column == other.Column
        && Start == other.Start && Length == other.Length;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SourceSpan other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        unchecked
        {
            var hash = StringComparer.Ordinal.GetHashCode(File ?? string.Empty);
            hash = (hash * 31) + Line;
            hash = (hash * 31) + Column;
            hash = (hash * 31) + Start;
            return (hash * 31) + Length;
        }
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(SourceSpan left, SourceSpan right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(SourceSpan left, SourceSpan right) => !left.Equals(right);

    /// <summary>"file(line,column)", the form compilers print.</summary>
    public override string ToString() => File + "(" + Line + "," + Column + ")";
}
