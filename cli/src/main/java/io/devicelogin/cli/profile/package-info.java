/** Login profiles: configuration only, in {@code $XDG_CONFIG_HOME/devicelogin/profiles.json}. */
package io.devicelogin.cli.profile;
