// An honest placeholder for a section whose feature has not shipped yet.
export function ComingSoon({ title, description }: { title: string; description: string }) {
  return (
    <>
      <header className="page-header">
        <h1>{title}</h1>
      </header>
      <section className="card empty">
        <span className="badge">Coming soon</span>
        <h2 style={{ marginTop: 12 }}>{title} is on its way</h2>
        <p className="muted">{description}</p>
      </section>
    </>
  );
}
