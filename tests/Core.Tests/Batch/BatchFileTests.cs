using Firecrest.Core.Batch;

namespace Firecrest.Core.Tests.Batch;

public sealed class BatchFileTests
{
    private const string Diamond = """
        system: cluster
        defaults:
          account: hpcproj
          partition: debug
          workingDirectory: /scratch/u/run
          env: {GREETING: hello}
          resources: {time: "00:05:00"}
        jobs:
          A:
            script: echo a > a.txt
            inputs: {in.txt: data/in.txt}
          B:
            script: echo b
            dependsOn: A
            resources: {nodes: 2, tasks: 4, time: "10"}
          C:
            script: echo c
            dependsOn: [A]
            env: {GREETING: hi, OTHER: x}
          D:
            script: cat a.txt > d.txt
            dependsOn: [B, C]
            outputs: {d.txt: results/d.txt}
            retries: 2
        """;

    [Fact]
    public void Diamond_is_parsed_with_defaults_merged_and_paths_resolved()
    {
        using var dir = new TempRunFolder();
        dir.Write("in.txt", "x");
        var path = dir.Write("run.yaml", Diamond);

        var def = BatchFile.Load(path);

        Assert.Equal("cluster", def.System);
        Assert.Equal(["A", "B", "C", "D"], def.Jobs.Select(j => j.Name));
        Assert.Equal("/scratch/u/run/data/in.txt", def["A"].Inputs.Single().Remote);
        Assert.Equal(Path.Combine(dir.Path, "in.txt"), def["A"].Inputs.Single().Local);
        Assert.Equal(Path.Combine(dir.Path, "results", "d.txt"), def["D"].Outputs.Single().Local);
        Assert.Equal("/scratch/u/run/d.txt", def["D"].Outputs.Single().Remote);
        Assert.Equal(["A"], def["B"].DependsOn);
        Assert.Equal(["B", "C"], def["D"].DependsOn);
        Assert.Equal(2, def["B"].Resources.Nodes);
        Assert.Equal("10", def["B"].Resources.Time);
        Assert.Equal("00:05:00", def["A"].Resources.Time);
        Assert.Equal("debug", def["C"].Resources.Partition);
        Assert.Equal("hpcproj", def["C"].Account);
        Assert.Equal("hi", def["C"].Env["GREETING"]);
        Assert.Equal("x", def["C"].Env["OTHER"]);
        Assert.Equal("hello", def["A"].Env["GREETING"]);
        Assert.Equal(2, def["D"].Retries);
    }

    [Fact]
    public void Script_file_is_read_relative_to_the_run_file()
    {
        using var dir = new TempRunFolder();
        dir.Write("job.sh", "#!/bin/sh\necho from file\n");
        var path = dir.Write("run.yaml", "system: cluster\ndefaults: {workingDirectory: /tmp/w}\njobs:\n  A:\n    scriptFile: job.sh\n");

        var job = BatchFile.Load(path)["A"];

        Assert.Equal("#!/bin/sh\necho from file\n", job.Script);
        Assert.Equal(Path.Combine(dir.Path, "job.sh"), job.ScriptFile);
    }

    [Fact]
    public void Syntax_error_gives_file_line_and_column()
    {
        var e = Assert.Throws<BatchValidationException>(() =>
            BatchFile.Parse("system: cluster\njobs:\n  A:\n    script: [unclosed\n", "run.yaml"));
        Assert.Equal("run.yaml", e.File);
        Assert.Equal(5, e.Line);
        Assert.Contains("YAML syntax error", e.Message);
        Assert.StartsWith("run.yaml:5:", e.Message);
    }

    [Fact]
    public void Cycle_is_refused_at_the_dependsOn_of_a_job_in_it()
    {
        var e = Assert.Throws<BatchValidationException>(() => BatchFile.Parse("""
            system: cluster
            defaults: {workingDirectory: /w}
            jobs:
              A:
                script: x
                dependsOn: [C]
              B:
                script: x
                dependsOn: [A]
              C:
                script: x
                dependsOn: [B]
            """, "run.yaml"));
        var p = Assert.Single(e.Problems);
        Assert.Contains("cycle: A → C → B → A", p.Message);
        Assert.Equal((6, 16), (p.Line, p.Column));
    }

    [Fact]
    public void Unknown_dependency_is_refused_at_the_name()
    {
        var e = Assert.Throws<BatchValidationException>(() => BatchFile.Parse("""
            system: cluster
            defaults: {workingDirectory: /w}
            jobs:
              A:
                script: x
                dependsOn: [Z, A2]
              A2:
                script: y
            """, "run.yaml"));
        var p = Assert.Single(e.Problems);
        Assert.Contains("unknown job 'Z'", p.Message);
        Assert.Equal((6, 17), (p.Line, p.Column));
    }

    [Fact]
    public void Missing_script_file_is_refused_at_its_value()
    {
        using var dir = new TempRunFolder();
        var path = dir.Write("run.yaml", "system: cluster\ndefaults: {workingDirectory: /w}\njobs:\n  A:\n    scriptFile: nope.sh\n");
        var e = Assert.Throws<BatchValidationException>(() => BatchFile.Load(path));
        Assert.Equal(path, e.File);
        Assert.Equal((5, 17), (e.Line, e.Column));
        Assert.Contains("'nope.sh'", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Job_without_script_is_refused_at_its_name()
    {
        var e = Assert.Throws<BatchValidationException>(() =>
            BatchFile.Parse("system: cluster\ndefaults: {workingDirectory: /w}\njobs:\n  A:\n    retries: 1\n", "run.yaml"));
        Assert.Equal((4, 3), (e.Line, e.Column));
        Assert.Contains("has no script", e.Message);
    }

    [Theory]
    [InlineData("nodes: 0", "nodes", 24)]
    [InlineData("nodes: two", "nodes", 24)]
    [InlineData("time: 1h", "time", 23)]
    [InlineData("memory: lots", "memory", 25)]
    [InlineData("partition: \"debug; rm\"", "partition", 28)]
    [InlineData("gpus: 1", "Unknown resource 'gpus'", 17)]
    public void Bad_resource_is_refused_at_its_value(string resource, string expected, int column)
    {
        var e = Assert.Throws<BatchValidationException>(() =>
            BatchFile.Parse($"system: cluster\ndefaults: {{workingDirectory: /w}}\njobs:\n  A:\n    script: x\n    resources: {{{resource}}}\n", "run.yaml"));
        var p = Assert.Single(e.Problems);
        Assert.Equal(6, p.Line);
        Assert.Equal(column, p.Column);
        Assert.Contains(expected, p.Message);
    }

    [Fact]
    public void Every_problem_is_listed_in_file_order()
    {
        var e = Assert.Throws<BatchValidationException>(() => BatchFile.Parse("""
            system: cluster
            colour: blue
            jobs:
              A:
                dependsOn: [B]
              B:
                script: x
                resources: {nodes: -1}
                retries: many
            """, "run.yaml"));
        Assert.Equal([2, 4, 4, 6, 8, 9], e.Problems.Select(p => p.Line));
        Assert.Contains(e.Problems, p => p.Message.Contains("Unknown key 'colour'"));
        Assert.Contains(e.Problems, p => p.Message.Contains("no working directory"));
        Assert.Contains(e.Problems, p => p.Message.Contains("has no script"));
    }

    [Fact]
    public void Missing_input_file_is_refused()
    {
        using var dir = new TempRunFolder();
        var path = dir.Write("run.yaml", "system: cluster\ndefaults: {workingDirectory: /w}\njobs:\n  A:\n    script: x\n    inputs:\n      gone.txt: in.txt\n");
        var e = Assert.Throws<BatchValidationException>(() => BatchFile.Load(path));
        Assert.Equal((7, 7), (e.Line, e.Column));
        Assert.Contains("Input file 'gone.txt'", e.Message);
    }

    [Fact]
    public void Missing_run_file_is_not_found()
    {
        var e = Assert.ThrowsAny<HpcException>(() => BatchFile.Load("/nonexistent/run.yaml"));
        Assert.Equal(HpcErrorKind.NotFound, e.Kind);
    }
}
