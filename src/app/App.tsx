/** Placeholder shell: the drop zone. The browser-app issue builds the real views. */
export function App() {
  return (
    <main className="page">
      <h1>Swarmdrop</h1>
      <label className="dropzone">
        <span>Drop files here or pick them</span>
        <input type="file" multiple data-testid="share-input" />
      </label>
    </main>
  );
}
