using System.Text;

namespace Kait.Sdk.Generators
{
    /// <summary>Writes indented C# (after dotnet/runtime's SourceWriter).</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder builder = new StringBuilder();
        private int indent;

        public void Indent() => indent++;

        public void Unindent() => indent--;

        public void OpenBlock()
        {
            WriteLine("{");
            indent++;
        }

        public void CloseBlock(string suffix = "")
        {
            indent--;
            WriteLine("}" + suffix);
        }

        public void WriteLine(string line = "")
        {
            if (line.Length > 0)
            {
                builder.Append(' ', indent * 4);
                builder.Append(line);
            }

            builder.Append('\n');
        }

        public override string ToString() => builder.ToString();
    }
}
