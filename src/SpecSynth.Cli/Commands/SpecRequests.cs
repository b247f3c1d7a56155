using System.Collections;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// The specs of a <c>generate</c> run as the service takes them, one <see cref="GenerateRequest"/> per spec, made when it is
/// read instead of held: a run of 10,000 specs kept 10,000 requests (~170 bytes each) and their list for its whole length.
/// A path <c>-</c> is the spec read from standard input (its text, named <see cref="GenerateCommand.StdinSpec"/>).
/// </summary>
internal sealed class SpecRequests(string[] paths, string? stdinText) : IReadOnlyList<GenerateRequest>
{
    public int Count => paths.Length;

    /// <summary>How each spec is named in the output: its path as given, or <see cref="GenerateCommand.StdinSpec"/>.</summary>
    public IReadOnlyList<string> Names { get; } = new SpecNames(paths);

    public GenerateRequest this[int index] => paths[index] == "-"
        ? new GenerateRequest { SpecText = stdinText, SpecName = GenerateCommand.StdinSpec }
        : new GenerateRequest { SpecPath = paths[index] };

    public IEnumerator<GenerateRequest> GetEnumerator()
    {
        for (var i = 0; i < paths.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class SpecNames(string[] paths) : IReadOnlyList<string>
    {
        public int Count => paths.Length;

        public string this[int index] => paths[index] == "-" ? GenerateCommand.StdinSpec : paths[index];

        public IEnumerator<string> GetEnumerator()
        {
            for (var i = 0; i < paths.Length; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
