/**
 * Regenerating and pushing corrected compose files: the plan (pure, from a scan), the push over
 * SFTP (temporary file → validation on the VM → backup → atomic rename → hash check → optional
 * restart → re-scan), rollback, and the local audit log.
 */
package io.headroom.engine.fix;
