using System.Text;
using SpecSynth.Projects;

namespace SpecSynth.Cli;

/// <summary>
/// Standard error as the CLI writes it: every string (errors, warnings, resilience events, progress) passes through
/// <see cref="Redaction"/> first, so a secret an exception or a server put into a message never reaches the
/// terminal or a CI log. Single characters pass as they are (no secret is written one character at a time).
/// </summary>
internal sealed class RedactingWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    /// <summary><paramref name="writer"/> wrapped once (an already redacting writer is returned as it is).</summary>
    public static TextWriter Wrap(TextWriter writer) => writer as RedactingWriter ?? new RedactingWriter(writer);

    public override Encoding Encoding => inner.Encoding;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // TextWriter.NewLine's setter accepts null.
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    public override void Write(char value) => inner.Write(value);

    public override void Write(string? value) => inner.Write(Redact(value));

    public override void Write(char[] buffer, int index, int count) => inner.Write(Redact(new string(buffer, index, count)));

    public override void WriteLine(string? value) => inner.WriteLine(Redact(value));

    public override Task WriteAsync(char value) => inner.WriteAsync(value);

    public override Task WriteAsync(string? value) => inner.WriteAsync(Redact(value));

    public override Task WriteAsync(char[] buffer, int index, int count) => inner.WriteAsync(Redact(new string(buffer, index, count)));

    public override Task WriteLineAsync(string? value) => inner.WriteLineAsync(Redact(value));

    public override Task WriteLineAsync(char[] buffer, int index, int count) => inner.WriteLineAsync(Redact(new string(buffer, index, count)));

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    private static string? Redact(string? value) => value is null ? null : Redaction.Redact(value);
}
