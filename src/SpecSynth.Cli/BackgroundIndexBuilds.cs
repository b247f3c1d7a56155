using System.Collections.Concurrent;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.ComponentModel;
using System.Diagnostics;

namespace SpecSynth.Cli;

/// <summary>
/// The context indexes a run left to be built after it answers (<c>[context] index_build = "background"</c>, the default):
/// the CLI process ranks without a missing index (as fast as <c>index = false</c>) and, once its output is written, starts
/// one detached <c>specsynth index --project DIR --background</c> per project, as git's <c>gc --auto</c> detaches: with the
/// run's configuration, so a run without <c>--project</c> (whose configuration is the working folder's, and whose files may be
/// its <c>--out</c> folder's) starts <c>specsynth index --out DIR --background</c> in the same working folder. The child's
/// standard streams are pipes the parent drops (never the parent's own: a shell's <c>$(...)</c>, a pipe or <c>time</c> does not
/// wait for it), it runs at the lowest priority, and at most one builder per project runs (the child's lock). Only the CLI's
/// process entry starts children; the in-process app (tests) gives no <see cref="CliHost.IndexBuilds"/> and builds inline.
/// A CLI whose parent is PID 1 (or that is PID 1: a container's command, a service) builds inline too: a detached child is
/// re-parented to PID 1 when the CLI exits, and there it is either killed with the container or service, or, under a PID 1
/// that does not reap (an application as a container's entry point, without <c>--init</c>), left a zombie.
/// </summary>
internal sealed class BackgroundIndexBuilds
{
    private bool _configFromWorkingFolder = true;

    private readonly ConcurrentDictionary<string, bool> _roots = new(StringComparer.Ordinal);

    /// <summary>Takes the run's parsed command line (<see cref="CliApp"/>, before it invokes the command): whether its command
    /// was given <c>--project</c> tells where the run's configuration is.</summary>
    public void ConfigurationOf(ParseResult run) => _configFromWorkingFolder = !GivesProject(run);

    /// <summary>The library's question (<see cref="SpecSynthOptions.DeferIndexBuild"/>): yes, the project is remembered, unless
    /// the parent is PID 1 (<see cref="ParentIsInit"/>), then no: built inline.</summary>
    public bool Defer(string root)
    {
        if (ParentIsInit(ReadStat()))
        {
            return false;
        }
        _roots.TryAdd(root, true);
        return true;
    }

    /// <summary>Whether <paramref name="stat"/> (the text of <c>/proc/self/stat</c>, <c>null</c> where there is none) names
    /// PID 1 as the parent, or none (the process is PID 1).</summary>
    internal static bool ParentIsInit(string? stat)
    {
        // "pid (comm) state ppid ...": the name may hold spaces and parentheses, so the fields are after its last ')'.
        var end = stat?.LastIndexOf(')') ?? -1;
        if (end < 0)
        {
            return false;
        }
        var fields = stat!.AsSpan(end + 1).Trim();
        var space = fields.IndexOf(' ');
        if (space < 0)
        {
            return false;
        }
        fields = fields[(space + 1)..];
        space = fields.IndexOf(' ');
        return int.TryParse(space < 0 ? fields : fields[..space], System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var parent) && parent <= 1;
    }

    private static string? ReadStat()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            return File.ReadAllText("/proc/self/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Starts the builders; a child that cannot be started only leaves the next run without an index.</summary>
    public void Start()
    {
        foreach (var root in _roots.Keys)
        {
            try
            {
                using var child = Process.Start(StartInfo(root, _configFromWorkingFolder, Environment.ProcessPath, Path.Combine(AppContext.BaseDirectory,
                    typeof(BackgroundIndexBuilds).Assembly.GetName().Name + ".dll")));
            }
            catch (Exception ex) when (ex is Win32Exception or IOException or InvalidOperationException or PlatformNotSupportedException)
            {
            }
        }
    }

    /// <summary>How the builder of <paramref name="root"/> is started: this executable (an apphost), or, when the process is
    /// the <c>dotnet</c> host, the host with this entry assembly <paramref name="entryDll"/>; with
    /// <paramref name="configFromWorkingFolder"/>, as <c>index --out</c> in this working folder (the run had no <c>--project</c>:
    /// its configuration is this folder's, even where its files were another's), else as <c>index --project</c>.</summary>
    internal static ProcessStartInfo StartInfo(string root, bool configFromWorkingFolder, string? processPath, string entryDll)
    {
        var host = processPath ?? "dotnet";
        var psi = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.ArgumentList.Add(entryDll);
        }
        psi.ArgumentList.Add("index");
        psi.ArgumentList.Add(configFromWorkingFolder ? Commands.IndexCommand.OutFlag : Commands.IndexCommand.ProjectFlag);
        psi.ArgumentList.Add(root);
        psi.ArgumentList.Add(Commands.IndexCommand.BackgroundFlag);
        return psi;
    }

    /// <summary>Whether the parser matched <c>--project</c> in <paramref name="run"/> (typed, not a default: from the command
    /// line or a response file).</summary>
    internal static bool GivesProject(ParseResult run) =>
        run.GetResult(Commands.IndexCommand.ProjectFlag) is OptionResult { Implicit: false };

    /// <summary>A background builder (<paramref name="args"/> are <c>index … --background</c>) lowers its own priority first
    /// thing, before the thread pool starts (threads inherit it); where that is refused it runs as it is.</summary>
    public static void LowerPriorityFor(string[] args)
    {
        if (!CommandPosition.Names(args, "index") || !args.Contains(Commands.IndexCommand.BackgroundFlag))
        {
            return;
        }
        try
        {
            using var self = Process.GetCurrentProcess();
            self.PriorityClass = ProcessPriorityClass.Idle;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
        }
    }
}
