using System.Text;
using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

public sealed class ProjectScannerTests
{
    private static Task<ProjectContext> ScanAsync(TempDir dir, ProjectScanOptions? options = null) =>
        new ProjectScanner(options).ScanAsync(dir.Path, CancellationToken.None);

    [Fact]
    public async Task MissingRoot_ReturnsEmptyContextWithTheFullPath()
    {
        using var dir = new TempDir();
        var missing = Path.Combine(dir.Path, "not-yet");

        var context = await new ProjectScanner().ScanAsync(missing, CancellationToken.None);

        Assert.Equal(Path.GetFullPath(missing), context.Root);
        Assert.Empty(context.Files);
        Assert.Empty(context.Tree);
        Assert.Null(context.Language);
    }

    [Fact]
    public async Task NamedPipeInTheProject_IsNeverOpened_SoTheScanDoesNotHang()
    {
        using var dir = new TempDir();
        dir.Write("a.txt", "hello");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", dir.Combine("pipe"))!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        dir.Write("empty.py", "");

        // Opening a FIFO for reading blocks until a writer appears, i.e. forever here.
        var context = await ScanAsync(dir).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("hello", context.Files.Single(f => f.Path == "a.txt").Content);
        Assert.Equal("", context.Files.Single(f => f.Path == "empty.py").Content);
        Assert.Contains("pipe", context.Tree);
    }

    [Fact]
    public async Task RootThatIsAFile_ThrowsInvalidInput()
    {
        using var dir = new TempDir();
        var file = dir.Write("a.txt", "x");

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => new ProjectScanner().ScanAsync(file, CancellationToken.None));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
    }

    [Fact]
    public async Task TextFiles_AreReadWithRelativeSlashPathsSizeAndLanguage_SortedOrdinally()
    {
        using var dir = new TempDir();
        dir.Write("src/b.cs", "class B {}");
        dir.Write("src/a.py", "print(1)");
        dir.Write("README.md", "# hi");
        dir.Write("a.txt", "é");

        var context = await ScanAsync(dir);

        Assert.Equal(["README.md", "a.txt", "src/a.py", "src/b.cs"], context.Files.Select(f => f.Path));
        Assert.Equal(context.Files.Select(f => f.Path), context.Tree);
        var b = context.Files.Single(f => f.Path == "src/b.cs");
        Assert.Equal("class B {}", b.Content);
        Assert.Equal("csharp", b.Language);
        Assert.Equal(2, context.Files.Single(f => f.Path == "a.txt").Bytes);
        Assert.Equal("python", context.Files.Single(f => f.Path == "src/a.py").Language);
    }

    [Fact]
    public async Task Utf8Bom_IsStrippedFromContent()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("bom.txt"), [0xEF, 0xBB, 0xBF, (byte)'h', (byte)'i']);

        var context = await ScanAsync(dir);

        Assert.Equal("hi", Assert.Single(context.Files).Content);
    }

    [Theory]
    [InlineData(".git")]
    [InlineData("bin")]
    [InlineData("obj")]
    [InlineData("node_modules")]
    [InlineData(".vs")]
    [InlineData(".idea")]
    [InlineData("__pycache__")]
    [InlineData(".venv")]
    [InlineData("venv")]
    [InlineData("target")]
    [InlineData("dist")]
    [InlineData("build")]
    [InlineData(".specsynth")]
    public async Task ToolAndBuildFolders_AreNeverEnteredAtAnyDepth(string folder)
    {
        using var dir = new TempDir();
        dir.Write($"{folder}/x.txt", "x");
        dir.Write($"src/{folder}/y.txt", "y");
        dir.Write("keep.txt", "k");

        var context = await ScanAsync(dir);

        Assert.Equal(["keep.txt"], context.Tree);
    }

    [Fact]
    public async Task RootAndNestedGitIgnores_AreHonouredRelativeToTheirFolder()
    {
        using var dir = new TempDir();
        dir.Write(".gitignore", "*.log\n/only-root.txt\nsecret-dir/\n");
        dir.Write("app.log", "x");
        dir.Write("only-root.txt", "x");
        dir.Write("src/only-root.txt", "kept");
        dir.Write("secret-dir/a.txt", "x");
        dir.Write("src/.gitignore", "/gen/\n!important.log\n");
        dir.Write("src/important.log", "kept");
        dir.Write("src/gen/x.cs", "x");
        dir.Write("gen/x.cs", "kept");

        var context = await ScanAsync(dir);

        Assert.Equal([".gitignore", "gen/x.cs", "src/.gitignore", "src/important.log", "src/only-root.txt"], context.Tree);
    }

    [Fact]
    public async Task FileInsideIgnoredDirectory_CannotBeReIncluded()
    {
        using var dir = new TempDir();
        dir.Write(".gitignore", "logs/\n!logs/keep.txt\nout/*\n!out/keep.txt\n");
        dir.Write("logs/keep.txt", "x");
        dir.Write("out/keep.txt", "kept");
        dir.Write("out/drop.txt", "x");

        var context = await ScanAsync(dir);

        Assert.Equal([".gitignore", "out/keep.txt"], context.Tree);
    }

    [Fact]
    public async Task SpecSynthIgnoreAndExtraPatterns_ExcludeLikeGitIgnore()
    {
        using var dir = new TempDir();
        dir.Write(".specsynthignore", "docs/\n");
        dir.Write("docs/a.md", "x");
        dir.Write("fixtures/big.json", "x");
        dir.Write("main.go", "package main");

        var context = await ScanAsync(dir, new ProjectScanOptions { IgnorePatterns = ["fixtures/"] });

        Assert.Equal([".specsynthignore", "main.go"], context.Tree);
    }

    [Fact]
    public async Task BinariesByExtensionOrNulByte_AreListedButNotRead()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("logo.png"), Encoding.ASCII.GetBytes("not really a png"));
        File.WriteAllBytes(dir.Combine("data.txt"), [(byte)'a', 0, (byte)'b']);
        dir.Write("lib.dll", "MZ");
        dir.Write("code.cs", "class C {}");

        var context = await ScanAsync(dir);

        Assert.Equal(["code.cs"], context.Files.Select(f => f.Path));
        Assert.Equal(["code.cs", "data.txt", "lib.dll", "logo.png"], context.Tree);
    }

    [Fact]
    public async Task FilesOverMaxFileBytes_AreListedButNotRead()
    {
        using var dir = new TempDir();
        dir.Write("big.txt", new string('x', 2000));
        dir.Write("small.txt", "x");

        var context = await ScanAsync(dir, new ProjectScanOptions { MaxFileBytes = 1000 });

        Assert.Equal(["small.txt"], context.Files.Select(f => f.Path));
        Assert.Contains("big.txt", context.Tree);
    }

    [Fact]
    public async Task InvalidUtf8_IsListedButNotRead()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("latin1.txt"), [(byte)'c', (byte)'a', (byte)'f', 0xE9]);

        var context = await ScanAsync(dir);

        Assert.Empty(context.Files);
        Assert.Equal(["latin1.txt"], context.Tree);
    }

    [Fact]
    public async Task TotalBudget_StopsReadingInPathOrderButKeepsSmallerLaterFiles()
    {
        using var dir = new TempDir();
        dir.Write("a.txt", new string('a', 600));
        dir.Write("b.txt", new string('b', 600));
        dir.Write("c.txt", new string('c', 300));

        var context = await ScanAsync(dir, new ProjectScanOptions { MaxTotalBytes = 1000 });

        Assert.Equal(["a.txt", "c.txt"], context.Files.Select(f => f.Path));
        Assert.Equal(3, context.Tree.Count);
    }

    [Fact]
    public async Task MaxFiles_CapsTheTree()
    {
        using var dir = new TempDir();
        for (var i = 0; i < 10; i++)
        {
            dir.Write($"f{i}.txt", "x");
        }

        var context = await ScanAsync(dir, new ProjectScanOptions { MaxFiles = 4 });

        Assert.Equal(4, context.Tree.Count);
        Assert.Equal(4, context.Files.Count);
    }

    [Fact]
    public async Task MaxFiles_KeepsTheFirstFilesOfADepthFirstWalk_HoweverTheFoldersAreListed()
    {
        // Folders are listed on several threads; the files kept under the cap are still the first ones of a depth-first
        // walk in ordinal order (a folder's own files before its subfolders'), the same every time.
        using var dir = new TempDir();
        for (var i = 0; i < 30; i++)
        {
            dir.Write($"a{i % 3}/b{i % 5}/f{i:00}.txt", "x");
        }
        dir.Write("top.txt", "x");
        dir.Write("a0/own.txt", "x");

        var capped = await ScanAsync(dir, new ProjectScanOptions { MaxFiles = 5, ReadContents = false });
        var again = await ScanAsync(dir, new ProjectScanOptions { MaxFiles = 5, ReadContents = false });
        var all = await ScanAsync(dir, new ProjectScanOptions { ReadContents = false });

        Assert.Equal(["a0/b0/f00.txt", "a0/b0/f15.txt", "a0/b1/f06.txt", "a0/own.txt", "top.txt"], capped.Tree);
        Assert.Equal(capped.Tree, again.Tree);
        Assert.Equal(32, all.Tree.Count);
        Assert.Equal(all.Tree.Order(StringComparer.Ordinal), all.Tree);
    }

    [Fact]
    public async Task ManyFolders_AreAllListed_WithTheirIgnoreFiles()
    {
        using var dir = new TempDir();
        for (var i = 0; i < 200; i++)
        {
            dir.Write($"d{i % 20}/e{i % 7}/f{i}.txt", "x");
            dir.Write($"d{i % 20}/e{i % 7}/g{i}.log", "x");
        }
        dir.Write("d3/.gitignore", "*.log\n");
        dir.Write("d4/e1/.specsynthignore", "f*\n");

        var context = await ScanAsync(dir, new ProjectScanOptions { ReadContents = false });

        Assert.DoesNotContain(context.Tree, p => p.StartsWith("d3/", StringComparison.Ordinal) && p.EndsWith(".log", StringComparison.Ordinal));
        Assert.DoesNotContain(context.Tree, p => p.StartsWith("d4/e1/f", StringComparison.Ordinal));
        Assert.Contains("d4/e1/.specsynthignore", context.Tree);
        Assert.Contains(context.Tree, p => p.StartsWith("d4/e1/g", StringComparison.Ordinal));
        Assert.Contains(context.Tree, p => p.StartsWith("d5/", StringComparison.Ordinal) && p.EndsWith(".log", StringComparison.Ordinal));
        Assert.Equal(400 - Enumerable.Range(0, 200).Count(i => i % 20 == 3) - Enumerable.Range(0, 200).Count(i => i % 20 == 4 && i % 7 == 1) + 2,
            context.Tree.Count);
    }

    [Fact]
    public async Task DirectorySymlinks_AreNotFollowed_AndFileSymlinksAreNotRead()
    {
        using var outside = new TempDir();
        outside.Write("leak.txt", "outside-canary");
        using var dir = new TempDir();
        dir.Write("real.txt", "inside");
        Directory.CreateSymbolicLink(dir.Combine("linked-dir"), outside.Path);
        File.CreateSymbolicLink(dir.Combine("linked.txt"), Path.Combine(outside.Path, "leak.txt"));

        var context = await ScanAsync(dir);

        Assert.DoesNotContain(context.Tree, p => p.StartsWith("linked-dir", StringComparison.Ordinal));
        Assert.Equal(["real.txt"], context.Files.Select(f => f.Path));
        Assert.DoesNotContain(context.Files, f => f.Content.Contains("outside-canary", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DanglingSymlink_IsListedWithoutFailingTheScan()
    {
        using var dir = new TempDir();
        File.CreateSymbolicLink(dir.Combine("dangling.txt"), dir.Combine("missing.txt"));
        dir.Write("ok.txt", "ok");

        var context = await ScanAsync(dir);

        Assert.Equal(["ok.txt"], context.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task Scan_IsDeterministic()
    {
        using var dir = new TempDir();
        for (var i = 0; i < 40; i++)
        {
            dir.Write($"d{i % 5}/f{i}.cs", $"class C{i} {{ string password = \"pw{i}-value\"; }}");
        }

        var first = await ScanAsync(dir);
        var second = await ScanAsync(dir);

        Assert.Equal(first.Files, second.Files);
        Assert.Equal(first.Tree, second.Tree);
        Assert.Equal(40, first.RedactionCount);
    }

    [Fact]
    public async Task Cancellation_Throws()
    {
        using var dir = new TempDir();
        dir.Write("a.txt", "x");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ProjectScanner().ScanAsync(dir.Path, cts.Token));
    }

    [Fact]
    public void NonPositiveLimits_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProjectScanner(new ProjectScanOptions { MaxFiles = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProjectScanner(new ProjectScanOptions { MaxFileBytes = -1 }));
    }
}
