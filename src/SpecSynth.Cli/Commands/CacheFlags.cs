using System.CommandLine;
using SpecSynth.Caching;

namespace SpecSynth.Cli.Commands;

/// <summary>Turns <c>--no-cache</c> and <c>--refresh</c> into a <see cref="CacheMode"/>.</summary>
internal static class CacheFlags
{
    /// <exception cref="SpecSynthException">Both flags given (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static CacheMode Mode(ParseResult parse, CommonOptions common) =>
        (parse.GetValue(common.NoCache), parse.GetValue(common.Refresh)) switch
        {
            (true, true) => throw new SpecSynthException(ErrorKind.InvalidInput,
                "--no-cache and --refresh contradict each other: --refresh asks the provider and caches the reply, --no-cache skips the cache entirely. Give one."),
            (true, false) => CacheMode.Off,
            (false, true) => CacheMode.Refresh,
            _ => CacheMode.ReadWrite,
        };
}
