using System.Text.Json;

namespace SpecSynth.Tests.Cli;

public sealed class RuntimeConfigTests
{
    [Fact]
    public void TheCli_AsksTheGcToCompactGen2_BeforeItsFreeSpaceGrowsPast30Percent()
    {
        // A many-spec run's gen2 otherwise grew with promoted garbage until the run's end (docs/benchmarks.md, session 13,
        // helper manymem); the setting must reach the built CLI's runtimeconfig, where the runtime reads it.
        var config = Path.ChangeExtension(CliProcess.Dll, null) + ".runtimeconfig.json";
        using var json = JsonDocument.Parse(File.ReadAllText(config));

        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(7, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
    }

    [Fact]
    public void TheCli_TurnsOnTheLongRunHeapTrim_WhichTheLibraryLeavesOffForHosts()
    {
        // RunHeapTrim's aggressive collections are the process owner's choice: the CLI opts in through its runtimeconfig,
        // a host (this test process has no such switch) does not get them.
        var config = Path.ChangeExtension(CliProcess.Dll, null) + ".runtimeconfig.json";
        using var json = JsonDocument.Parse(File.ReadAllText(config));

        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty(RunHeapTrim.Switch).GetBoolean());
        Assert.False(RunHeapTrim.Pays(RunHeapTrim.Every * 10));
    }
}
