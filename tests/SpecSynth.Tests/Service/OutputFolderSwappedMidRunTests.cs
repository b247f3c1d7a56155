using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Service;

/// <summary>A run of several specs resolves the output folder's real path once, at its first spec (issue 19), and keeps it as
/// the folder every later file must stay inside: a folder on the way replaced by a symbolic link between two specs is
/// refused, never followed, and nothing is written where the link points.</summary>
public sealed class OutputFolderSwappedMidRunTests : IDisposable
{
    private const string Reply = "```csharp\n// filepath: src/NAME.cs\nnamespace Demo;\n\npublic static class NAME\n{\n}\n```\n";

    private readonly ServiceWorld _world = new();

    public void Dispose() => _world.Dispose();

    private string Outside => Path.Combine(Path.GetDirectoryName(_world.Project)!, "outside");

    [Fact]
    public async Task TheOutputFolderReplacedByALink_AfterTheFirstSpec_TheNextSpecIsRefused_AndNothingIsWrittenThere()
    {
        var all = await RunAsync(() =>
        {
            Directory.Move(_world.Out, _world.Out + "-moved");
            Directory.CreateSymbolicLink(_world.Out, Outside);
        });

        Assert.Equal((1, 1), (all.Succeeded, all.Failed));
        Assert.True(File.Exists(Path.Combine(_world.Out + "-moved", "src", "Alpha.cs")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Outside));
    }

    [Fact]
    public async Task AFolderInsideReplacedByALink_AfterTheFirstSpec_TheNextSpecIsRefused_AndNothingIsWrittenThere()
    {
        var all = await RunAsync(() =>
        {
            var src = Path.Combine(_world.Out, "src");
            Directory.Move(src, src + "-moved");
            Directory.CreateSymbolicLink(src, Outside);
        });

        Assert.Equal((1, 1), (all.Succeeded, all.Failed));
        Assert.True(File.Exists(Path.Combine(_world.Out, "src-moved", "Alpha.cs")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Outside));
    }

    [Fact]
    public async Task NothingSwapped_BothSpecsAreWritten()
    {
        var all = await RunAsync(() => { });

        Assert.Equal((2, 0), (all.Succeeded, all.Failed));
        Assert.True(File.Exists(Path.Combine(_world.Out, "src", "Alpha.cs")));
        Assert.True(File.Exists(Path.Combine(_world.Out, "src", "Gamma.cs")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Outside));
    }

    /// <summary>Generates alpha.md then gamma.md (one at a time), calling <paramref name="between"/> once alpha's file is written.</summary>
    private async Task<GenerateAllResult> RunAsync(Action between)
    {
        Directory.CreateDirectory(Outside);
        _world.Write("alpha.md", "# Alpha\n\nThe alpha part.\n\n## Requirements\n\n- It MUST exist.\n");
        _world.Write("gamma.md", "# Gamma\n\nThe gamma part.\n\n## Requirements\n\n- It MUST exist.\n");
        await using var services = _world.Services(s => s.AddSingleton<IChatClient>(ByTitle()));
        return await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [new GenerateRequest { SpecPath = "alpha.md" }, new GenerateRequest { SpecPath = "gamma.md" }],
            Options = new GenerateRequest { OutputRoot = "out", RepairRounds = 0 },
            Concurrency = 1,
            OnSpecDone = (done, _) =>
            {
                if (done.Index == 0)
                {
                    Assert.True(File.Exists(Path.Combine(_world.Out, "src", "Alpha.cs")));
                    between();
                }
                return ValueTask.CompletedTask;
            },
        });
    }

    /// <summary>Answers each spec with one valid C# file named after its title.</summary>
    private static ScriptedChatClient ByTitle() => ScriptedChatClient.ByPrompt(prompt =>
        Reply.Replace("NAME", prompt.Contains("The gamma part", StringComparison.Ordinal) ? "Gamma" : "Alpha", StringComparison.Ordinal));
}
