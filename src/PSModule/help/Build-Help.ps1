#!/usr/bin/env pwsh
# Writes the module's help into <Root>/en-US (where PowerShell looks, beside Firecrest.psd1): the MAML file
# Firecrest.PowerShell.dll-Help.xml from the built cmdlets' metadata (parameter sets, positions, pipeline input,
# wildcards, [OutputType], HelpUri), their XML doc comments (synopsis, descriptions) and Examples.psd1, plus
# about_Firecrest.help.txt. build.ps1 runs it on every build (in a child process: it imports the module), so the help
# cannot drift from the code; nothing it writes is kept in git.
param(
    [string] $Root = (Resolve-Path (Join-Path $PSScriptRoot '../../..')),
    [string] $OutDir = (Join-Path $Root 'en-US')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module (Join-Path $Root 'Firecrest.psd1') -Force
$module = Get-Module Firecrest
[xml] $doc = Get-Content (Join-Path $Root 'artifacts/module/bin/Firecrest.PowerShell.xml') -Raw
$summaries = @{}
foreach ($m in $doc.doc.members.member) {
    $s = $m.SelectSingleNode('summary')
    if ($s) { $summaries[$m.name] = (($s.InnerText -replace '\s+', ' ').Trim()) }
}
$examples = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'Examples.psd1')
$common = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name
$shouldProcessText = @{
    WhatIf  = 'Shows what the command would do without doing it.'
    Confirm = 'Asks for confirmation before each change.'
}
function Esc([string] $s) { [Security.SecurityElement]::Escape($s) }
function TypeName([type] $t) { if ($t -eq [System.Management.Automation.SwitchParameter]) { 'SwitchParameter' } else { $t.Name } }

# The doc comment of a parameter, looked up on the cmdlet class and its base classes.
function ParameterText($cmd, [string] $name) {
    if ($shouldProcessText.ContainsKey($name)) { return $shouldProcessText[$name] }
    $declaring = $cmd.ImplementingType
    while ($declaring) {
        $t = $summaries["P:$($declaring.FullName).$name"]
        if ($t) { return $t }
        $declaring = $declaring.BaseType
    }
    $script:undocumented += "$($cmd.Name) -$name"
    ''
}
$script:undocumented = @()

# Cmdlets of the same group link to each other; every one links to its online page and the about topic.
function Get-HelpGroup([string] $noun) {
    switch -regex ($noun -replace '^Hpc', '') {
        '^(Job|JobOutput|Batch)$' { 'jobs' }
        '^(Session|ModuleInfo)$' { 'sessions' }
        '^(File|ChildItem)$' { 'transfers' }
        '^(Item|Content|FileHash|ItemPermission)$' { 'files' }
        default { 'status' }
    }
}
function Related($cmd) {
    $group = Get-HelpGroup $cmd.Noun
    Get-Command -Module Firecrest -CommandType Cmdlet | Where-Object { $_.Name -ne $cmd.Name -and (Get-HelpGroup $_.Noun) -eq $group } | Sort-Object Name | Select-Object -ExpandProperty Name
}

function Pipeline($p) {
    $byValue = $p.ValueFromPipeline
    $byName = $p.ValueFromPipelineByPropertyName
    if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
}

$sb = [Text.StringBuilder]::new()
function Line([string] $s) { [void] $sb.AppendLine($s) }
Line '<?xml version="1.0" encoding="utf-8"?>'
Line '<!-- Generated at build time by src/PSModule/help/Build-Help.ps1 from the cmdlets, their doc comments and Examples.psd1. -->'
Line '<helpItems schema="maml" xmlns="http://msh">'
foreach ($cmd in Get-Command -Module Firecrest -CommandType Cmdlet | Sort-Object Name) {
    $type = $cmd.ImplementingType
    $synopsis = $summaries["T:$($type.FullName)"]
    if (-not $synopsis) { throw "no doc comment (summary) for $($type.FullName)" }
    if (-not $examples[$cmd.Name]) { throw "no examples for $($cmd.Name) in Examples.psd1" }
    $attr = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
    if (-not $attr.HelpUri) { throw "no HelpUri on $($cmd.Name)" }
    # MAML names carry no prefix: Get-Help finds a prefixed command's help under its name without the prefix, so one
    # file serves the default prefix (Get-HpcJob) and any other (Import-Module -Prefix F7t: Get-F7tJob).
    $mamlName = "$($attr.VerbName)-$($attr.NounName)"
    $first = ($synopsis -split '(?<=\.)\s', 2)[0]
    Line '  <command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">'
    Line "    <command:details><command:name>$mamlName</command:name><command:verb>$($attr.VerbName)</command:verb><command:noun>$($attr.NounName)</command:noun><maml:description><maml:para>$(Esc $first)</maml:para></maml:description></command:details>"
    Line "    <maml:description><maml:para>$(Esc $synopsis)</maml:para></maml:description>"

    Line '    <command:syntax>'
    foreach ($set in $cmd.ParameterSets | Sort-Object { -not $_.IsDefault }, Name) {
        # The syntax shows the name under the default prefix (Get-Help does not rewrite it for another prefix).
        Line "      <command:syntaxItem><maml:name>$($cmd.Name)</maml:name>"
        $ordered = $set.Parameters | Where-Object { $_.Name -notin $common } |
            Sort-Object { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } }, { -not $_.IsMandatory }, { $_.ParameterType -eq [switch] }
        foreach ($p in $ordered) {
            $position = if ($p.Position -ge 0) { $p.Position } else { 'named' }
            $value = if ($p.ParameterType -eq [switch]) { '' } else { "<command:parameterValue required=""true"">$(TypeName $p.ParameterType)</command:parameterValue>" }
            Line "        <command:parameter required=""$($p.IsMandatory.ToString().ToLower())"" position=""$position"" pipelineInput=""$(Pipeline $p)""><maml:name>$($p.Name)</maml:name>$value</command:parameter>"
        }
        Line '      </command:syntaxItem>'
    }
    Line '    </command:syntax>'

    Line '    <command:parameters>'
    foreach ($name in $cmd.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) {
        $meta = $cmd.Parameters[$name]
        $inSets = @($cmd.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -eq $name })
        $positions = @($inSets | Where-Object { $_.Position -ge 0 } | ForEach-Object { $_.Position } | Select-Object -Unique)
        $position = if ($positions.Count -gt 0) { $positions[0] } else { 'named' }
        $mandatory = [bool] ($inSets | Where-Object IsMandatory)
        $byValue = [bool] ($inSets | Where-Object ValueFromPipeline)
        $byName = [bool] ($inSets | Where-Object ValueFromPipelineByPropertyName)
        $pipeline = Pipeline ([pscustomobject]@{ ValueFromPipeline = $byValue; ValueFromPipelineByPropertyName = $byName })
        $globbing = [bool] ($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        $switch = $meta.ParameterType -eq [switch]
        $value = if ($switch) { '' } else { "<command:parameterValue required=""true"">$(TypeName $meta.ParameterType)</command:parameterValue>" }
        $default = if ($switch) { 'False' } else { 'None' }
        Line "      <command:parameter required=""$($mandatory.ToString().ToLower())"" globbing=""$($globbing.ToString().ToLower())"" pipelineInput=""$pipeline"" position=""$position"" aliases=""$(if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'none' })""><maml:name>$name</maml:name><maml:description><maml:para>$(Esc (ParameterText $cmd $name))</maml:para></maml:description>$value<dev:type><maml:name>$($meta.ParameterType.FullName)</maml:name></dev:type><dev:defaultValue>$default</dev:defaultValue></command:parameter>"
    }
    Line '    </command:parameters>'

    # INPUTS: the types that bind from the pipeline, by value or by property name.
    Line '    <command:inputTypes>'
    $inputs = foreach ($name in $cmd.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) {
        $sets = @($cmd.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -eq $name })
        $meta = $cmd.Parameters[$name]
        if ($sets | Where-Object ValueFromPipeline) { [pscustomobject]@{ Type = $meta.ParameterType.FullName; Text = "-$name binds from the pipeline." } }
        if ($sets | Where-Object ValueFromPipelineByPropertyName) {
            $names = @($name) + @($meta.Aliases)
            [pscustomobject]@{ Type = 'System.Object'; Text = "Objects with a property named $(($names | ForEach-Object { "'$_'" }) -join ' or ') bind it to -$name." }
        }
    }
    if (-not $inputs) { $inputs = @([pscustomobject]@{ Type = 'None'; Text = 'This cmdlet takes no pipeline input.' }) }
    foreach ($i in $inputs) { Line "      <command:inputType><dev:type><maml:name>$(Esc $i.Type)</maml:name></dev:type><maml:description><maml:para>$(Esc $i.Text)</maml:para></maml:description></command:inputType>" }
    Line '    </command:inputTypes>'

    # OUTPUTS: [OutputType].
    Line '    <command:returnValues>'
    $outputs = @($cmd.OutputType | Where-Object { $_.Type -ne [void] })
    if (-not $outputs) { Line '      <command:returnValue><dev:type><maml:name>None</maml:name></dev:type><maml:description><maml:para>This cmdlet writes no objects.</maml:para></maml:description></command:returnValue>' }
    foreach ($o in $outputs) { Line "      <command:returnValue><dev:type><maml:name>$(Esc $o.Name)</maml:name></dev:type><maml:description><maml:para /></maml:description></command:returnValue>" }
    Line '    </command:returnValues>'

    Line '    <maml:alertSet><maml:alert><maml:para>Errors are error records whose category follows the error kind (NotFound: ObjectNotFound, AlreadyExists: ResourceExists, Timeout: OperationTimeout, ...); Ctrl+C cancels the running call. See about_Firecrest.</maml:para></maml:alert></maml:alertSet>'

    Line '    <command:examples>'
    $i = 0
    foreach ($ex in $examples[$cmd.Name]) {
        $i++
        Line "      <command:example><maml:title>-------------------------- Example $i --------------------------</maml:title><dev:code>$(Esc $ex[0])</dev:code><dev:remarks><maml:para>$(Esc $ex[1])</maml:para></dev:remarks></command:example>"
    }
    Line '    </command:examples>'

    Line '    <command:relatedLinks>'
    Line "      <maml:navigationLink><maml:linkText>Online Version:</maml:linkText><maml:uri>$(Esc $attr.HelpUri)</maml:uri></maml:navigationLink>"
    foreach ($r in Related $cmd) { Line "      <maml:navigationLink><maml:linkText>$r</maml:linkText><maml:uri /></maml:navigationLink>" }
    Line '      <maml:navigationLink><maml:linkText>about_Firecrest</maml:linkText><maml:uri /></maml:navigationLink>'
    Line '    </command:relatedLinks>'
    Line '  </command:command>'
}
Line '</helpItems>'
if ($script:undocumented) { Write-Warning "parameters without a doc comment: $($script:undocumented -join ', ')" }
New-Item -ItemType Directory -Force $OutDir | Out-Null
$out = Join-Path $OutDir 'Firecrest.PowerShell.dll-Help.xml'
[IO.File]::WriteAllText($out, $sb.ToString())
Copy-Item (Join-Path $PSScriptRoot 'about_Firecrest.help.txt') (Join-Path $OutDir 'about_Firecrest.help.txt') -Force
"wrote $out and about_Firecrest.help.txt"
