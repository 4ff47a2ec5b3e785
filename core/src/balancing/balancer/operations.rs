//! What a user can do to a running balancer, each at the current simulated time: crash or
//! revive a server, slow it down, make it fail, add or remove one, switch the strategy or the
//! load. On an error nothing changes.

use super::*;

impl Balancer {
    fn index(&self, index: u32) -> Result<usize, BalancingError> {
        if (index as usize) < self.backends.len() {
            Ok(index as usize)
        } else {
            Err(BalancingError::NoSuchServer {
                index,
                count: self.backends.len() as u32,
            })
        }
    }

    /// Crashes the server: its requests in flight are lost, and it refuses connections until
    /// revived. The balancer only stops sending to it once health checks (or outlier
    /// detection) notice.
    pub fn kill_server(&mut self, index: u32) -> Result<Vec<BalancerEvent>, BalancingError> {
        let i = self.index(index)?;
        let Some(b) = self.backends.get_mut(i) else {
            return Ok(Vec::new());
        };
        if !b.server.is_up() {
            return Err(BalancingError::AlreadyDown {
                name: b.name().to_string(),
            });
        }
        let lost = b.server.kill(self.now);
        let id = b.id;
        self.queue
            .retain(|p| !matches!(p, Pending::Completion { backend, .. } if *backend == id));
        let mut out = vec![BalancerEvent::ServerKilled {
            at: self.now,
            server: index,
            lost: lost.len() as u32,
        }];
        for r in lost {
            self.totals.failed_lost += 1;
            if let Some(b) = self.backends.get_mut(i) {
                b.counters.lost += 1;
            }
            out.push(BalancerEvent::Failed {
                at: self.now,
                request: r,
                server: index,
                reason: FailReason::LostOnKill,
            });
            // A reset connection is a failure the balancer sees, like any other.
            self.observe(i, true, &mut out);
        }
        Ok(out)
    }

    /// Restarts a crashed server. With active health checks it gets traffic again only after
    /// `rise` successful probes.
    pub fn revive_server(&mut self, index: u32) -> Result<Vec<BalancerEvent>, BalancingError> {
        let i = self.index(index)?;
        let now = self.now;
        let Some(b) = self.backends.get_mut(i) else {
            return Ok(Vec::new());
        };
        if b.server.is_up() {
            return Err(BalancingError::AlreadyUp {
                name: b.name().to_string(),
            });
        }
        b.server.revive(now);
        Ok(vec![BalancerEvent::ServerRevived {
            at: now,
            server: index,
        }])
    }

    /// Makes the server `factor` times slower for requests that start from now (1 = normal).
    pub fn set_slowdown(
        &mut self,
        index: u32,
        factor: f64,
    ) -> Result<Vec<BalancerEvent>, BalancingError> {
        let i = self.index(index)?;
        let now = self.now;
        let Some(b) = self.backends.get_mut(i) else {
            return Ok(Vec::new());
        };
        b.server.set_slowdown(factor)?;
        Ok(vec![BalancerEvent::ServerSlowed {
            at: now,
            server: index,
            factor,
        }])
    }

    /// Makes the server answer a fraction `rate` (0–1) of its requests with an error: what
    /// drives outlier ejection and the circuit breaker.
    pub fn set_error_rate(
        &mut self,
        index: u32,
        rate: f64,
    ) -> Result<Vec<BalancerEvent>, BalancingError> {
        let i = self.index(index)?;
        let rate = check_range("error rate", rate, 0.0, 1.0)?;
        let now = self.now;
        let Some(b) = self.backends.get_mut(i) else {
            return Ok(Vec::new());
        };
        b.error_rate = rate;
        Ok(vec![BalancerEvent::ErrorRateSet {
            at: now,
            server: index,
            rate,
        }])
    }

    /// Adds a server at the end of the list. It starts UP and gets traffic at once.
    pub fn add_server(
        &mut self,
        server: ServerConfig,
    ) -> Result<Vec<BalancerEvent>, BalancingError> {
        let count = self.backends.len() as u64 + 1;
        if count > limits::MAX_SERVERS {
            return Err(BalancingError::TooManyServers {
                count,
                max: limits::MAX_SERVERS,
            });
        }
        validate_server(&server, self.backends.len() as u32)?;
        if self.server_index(&server.name).is_some() {
            return Err(BalancingError::DuplicateServerName { name: server.name });
        }
        let name = server.name.clone();
        let weight = server.weight;
        let kernel = Server::new(server).map_err(|source| BalancingError::InvalidServer {
            name: name.clone(),
            source,
        })?;
        let id = self.next_backend_id;
        self.next_backend_id = self.next_backend_id.wrapping_add(1);
        self.backends.push(Backend::new(id, kernel, self.now));
        self.strategies.on_server_added(weight);
        if let Some(h) = &self.config.active_health {
            self.queue
                .schedule(self.now.after(h.interval), Pending::Probe { backend: id });
        }
        Ok(vec![BalancerEvent::ServerAdded {
            at: self.now,
            server: (self.backends.len() - 1) as u32,
            weight,
        }])
    }

    /// Removes a server at once (no draining): its requests in flight are lost and later
    /// servers move down one position. The last server cannot be removed.
    pub fn remove_server(&mut self, index: u32) -> Result<Vec<BalancerEvent>, BalancingError> {
        let i = self.index(index)?;
        if self.backends.len() <= 1 {
            return Err(BalancingError::LastServer {
                name: self
                    .backends
                    .get(i)
                    .map(|b| b.name().to_string())
                    .unwrap_or_default(),
            });
        }
        let mut b = self.backends.remove(i);
        let lost = b.server.kill(self.now);
        let id = b.id;
        self.queue.retain(|p| p.backend() != id);
        self.strategies.on_server_removed(index);
        let mut out = vec![BalancerEvent::ServerRemoved {
            at: self.now,
            server: index,
            lost: lost.len() as u32,
        }];
        for r in lost {
            self.totals.failed_lost += 1;
            out.push(BalancerEvent::Failed {
                at: self.now,
                request: r,
                server: index,
                reason: FailReason::LostOnRemove,
            });
        }
        Ok(out)
    }

    /// Switches the active strategy live; an unknown name lists the known ones.
    pub fn switch_strategy(&mut self, name: &str) -> Result<Vec<BalancerEvent>, BalancingError> {
        let to = StrategyKind::from_name(name)?;
        let from = self.strategies.switch_to(to);
        Ok(vec![BalancerEvent::StrategySwitched {
            at: self.now,
            from,
            to,
        }])
    }

    /// Changes the offered load from now on (the arrival already drawn still comes).
    pub fn set_arrivals(
        &mut self,
        process: ArrivalProcess,
    ) -> Result<Vec<BalancerEvent>, BalancingError> {
        self.workload.set_arrivals(process.clone(), self.now)?;
        self.config.workload.arrivals = process.clone();
        Ok(vec![BalancerEvent::LoadChanged {
            at: self.now,
            rate_per_sec: process.rate_at(self.now),
        }])
    }
}
