/**
 * The desktop UI (JavaFX): one ViewModel per screen, views that only bind, and all I/O through
 * {@link io.headroom.ui.BackgroundExecutor} so the FX thread never waits on a host.
 */
package io.headroom.ui;
