package store

import "database/sql"

// migrateChannel adds the calls' channel column (kiosk, sip, sim) to a
// store made before it; old records read as "".
func migrateChannel(db *sql.DB) error {
	if _, err := db.Exec(`SELECT channel FROM calls LIMIT 0`); err != nil {
		if _, err := db.Exec(`ALTER TABLE calls ADD COLUMN channel TEXT NOT NULL DEFAULT ''`); err != nil {
			return err
		}
	}
	return nil
}
