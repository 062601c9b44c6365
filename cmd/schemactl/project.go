package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/schemactl/schemactl/internal/project"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// fromEnvAnnotation marks a flag whose value came from the project file's
// env, so that an error about it names the env rather than the flag.
const fromEnvAnnotation = "schemactl/from-env"

// useProject adds --env and --var to every command: the values of the
// named env of schemactl.hcl (or atlas.hcl) stand in for the flags not
// given. Without --env the project file is not read at all.
func useProject(root *cobra.Command) {
	root.PersistentFlags().String("env", "", "take --url, --dev-url, --dir and --schema not given as flags from this env of "+project.FileName+" (or "+project.AtlasFileName+")")
	root.PersistentFlags().StringArray("var", nil, "NAME=VALUE: a variable of the project file with --env, else of the schema (plan, validate); repeat for a list")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return applyEnv(cmd) }
}

// envName is --env as given, or "" when not given.
func envName(fl *pflag.FlagSet) string {
	f := fl.Lookup("env")
	if f == nil || !f.Changed {
		return ""
	}
	return f.Value.String()
}

// applyEnv sets the flags of cmd that the user did not give from the env
// --env names. Flags given win; under --env, SCHEMACTL_URL and
// DATABASE_URL are not read (urlFlag.get), see urlEnv.
func applyEnv(cmd *cobra.Command) error {
	fl := cmd.Flags()
	if f := fl.Lookup("url"); f != nil && !fleetCapable(cmd) {
		if v, ok := f.Value.(*urlValues); ok && len(*v) > 1 {
			return &inputError{fmt.Errorf("--url is given %d times: only apply, status and plan --dry-run run on several databases", len(*v))}
		}
	}
	name := envName(fl)
	if name == "" {
		// Without --env, --var gives the schema's variable blocks their
		// values: only the commands that read a schema take it.
		if f := fl.Lookup("var"); f != nil && f.Changed && cmd.Name() != "plan" && cmd.Name() != "validate" {
			return &inputError{fmt.Errorf("--var gives values to the variables of the project file (pass --env too) or of the schema (plan, validate)")}
		}
		return nil
	}
	vars, err := parseVars(fl)
	if err != nil {
		return &inputError{err}
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	env, err := project.Load(wd, name, vars)
	if err != nil {
		return &inputError{err}
	}
	if env.Several() && !fleetCapable(cmd) {
		how := "url = [...]"
		if env.ForEach {
			how = "for_each"
		}
		return &inputError{fmt.Errorf("env %q has %d target databases (%s): only apply, status and plan --dry-run run on several databases; give one with --url", name, len(env.URLs), how)}
	}
	set := func(flag string, values ...string) error {
		f := fl.Lookup(flag)
		if f == nil || f.Changed || len(values) == 0 || values[0] == "" {
			return nil
		}
		for _, v := range values {
			if err := fl.Set(flag, v); err != nil {
				return &inputError{fmt.Errorf("env %q: %s: %w", name, flag, err)}
			}
		}
		if f.Annotations == nil {
			f.Annotations = map[string][]string{}
		}
		f.Annotations[fromEnvAnnotation] = []string{name}
		return nil
	}
	latest := ""
	if env.Lint.Latest > 0 {
		latest = strconv.Itoa(env.Lint.Latest)
	}
	for _, s := range []struct {
		flag   string
		values []string
	}{
		{"url", env.URLs},
		{"dev-url", []string{env.Dev}},
		{"dir", []string{env.Dir}},
		{"schema", env.Src},
		{"latest", []string{latest}},
		{"base", []string{env.Lint.Base}},
	} {
		if err := set(s.flag, s.values...); err != nil {
			return err
		}
	}
	return nil
}

// parseVars reads --var NAME=VALUE flags; a name given twice is a list.
func parseVars(fl *pflag.FlagSet) (map[string][]string, error) {
	raw, err := fl.GetStringArray("var")
	if err != nil {
		return nil, err
	}
	vars := map[string][]string{}
	for _, kv := range raw {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--var %s: want NAME=VALUE", printableLines(k))
		}
		vars[k] = append(vars[k], v)
	}
	return vars, nil
}

// fromEnv is the env a flag's value came from, or "".
func fromEnv(f *pflag.Flag) string {
	if f == nil || len(f.Annotations[fromEnvAnnotation]) == 0 {
		return ""
	}
	return f.Annotations[fromEnvAnnotation][0]
}
